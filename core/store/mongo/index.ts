// The MongoDB store (MONGODB_URI): mongoose over a dedicated connection.
// Reads are plain lean queries; writes go through the lease-and-journal commit
// protocol of commit.ts, which needs no multi-document transactions.

import type { Committed, Store, UnitOfWork, WriteScope } from '../ports.js';
import { WriteBuffer } from '../write-buffer.js';
import { backfillTaskHistory } from './backfill.js';
import { MongoCommitter, type Logger } from './commit.js';
import { openConnection, pingServer } from './connection.js';
import { guarded, translateError } from './errors.js';
import { mongoJobsRepo } from './jobs.js';
import { createModels, ensureIndexes } from './models.js';
import { Reads } from './reads.js';
import { changesRepo } from './repos/changes.js';
import { auditRepo, authTokensRepo, incomingHooksRepo, pluginStatesRepo, webhookDeliveriesRepo, webhooksRepo, connectCodesRepo, identitiesRepo, linkCursorsRepo, linksRepo, messageCopiesRepo, seenEventsRepo, deliveriesRepo, feedCursorsRepo, notificationsRepo, outboxRepo, settingsRepo } from './repos/notifications.js';
import { invitesRepo, membersRepo, projectsRepo } from './repos/projects.js';
import { purgeRepo } from './repos/purge.js';
import { embedTokensRepo, messagesRepo, roomMembersRepo, roomsRepo } from './repos/rooms.js';
import { tasksRepo } from './repos/tasks.js';
import { analyticsRepo, taskMovesRepo } from './repos/analytics.js';
import { tokensRepo, usersRepo } from './repos/users.js';

export interface MongoStoreOptions {
  /** mongodb://host:port/database (the database is the URI's path). */
  uri: string;
  /**
   * How long a writer's lease on a scope lasts without renewal: the longest a
   * crashed writer can block its project. Default 10 s.
   */
  lockTtlMs?: number;
  logger?: Logger;
}

const DEFAULT_LOCK_TTL_MS = 10_000;

export async function createMongoStore(options: MongoStoreOptions): Promise<Store> {
  const connection = await openConnection(options.uri);
  const models = createModels(connection);
  try {
    await ensureIndexes(models);
    await backfillTaskHistory(models);
  } catch (error) {
    await connection.close(true).catch(() => undefined);
    throw translateError(error);
  }

  const committer = new MongoCommitter(models, options.lockTtlMs ?? DEFAULT_LOCK_TTL_MS, options.logger);
  const reads = new Reads(models);
  const inFlight = new Set<Promise<unknown>>();
  let closed = false;

  async function write<T>(scope: WriteScope, work: (uow: UnitOfWork) => T | Promise<T>): Promise<Committed<T>> {
    if (closed) throw new Error('the store is closed');
    const buffer = new WriteBuffer(scope.projectId);
    const pending = (async () => {
      const result = await work(buffer);
      const changes = await committer.commit(scope.projectId, buffer);
      return { result, changes };
    })();
    inFlight.add(pending);
    try {
      return await pending;
    } finally {
      inFlight.delete(pending);
    }
  }

  return {
    kind: 'mongo',
    users: guarded(usersRepo(reads)),
    tokens: guarded(tokensRepo(reads)),
    projects: guarded(
      projectsRepo(reads, {
        nextTaskNumber: (projectId) => committer.nextTaskNumber(projectId),
        raiseTaskCounter: (projectId, atLeast) => committer.raiseTaskCounter(projectId, atLeast),
      }),
    ),
    members: guarded(membersRepo(reads)),
    invites: guarded(invitesRepo(reads)),
    tasks: guarded(tasksRepo(reads)),
    rooms: guarded(roomsRepo(reads)),
    roomMembers: guarded(roomMembersRepo(reads)),
    messages: guarded(messagesRepo(reads)),
    embedTokens: guarded(embedTokensRepo(reads)),
    changes: guarded(changesRepo(models)),
    notifications: guarded(notificationsRepo(reads)),
    deliveries: guarded(deliveriesRepo(reads)),
    outbox: guarded(outboxRepo(reads)),
    feedCursors: guarded(feedCursorsRepo(reads)),
    authTokens: guarded(authTokensRepo(reads)),
    settings: guarded(settingsRepo(reads)),
    audit: guarded(auditRepo(reads)),
    links: guarded(linksRepo(reads)),
    identities: guarded(identitiesRepo(reads)),
    connectCodes: guarded(connectCodesRepo(reads)),
    messageCopies: guarded(messageCopiesRepo(reads)),
    seenEvents: guarded(seenEventsRepo(reads)),
    linkCursors: guarded(linkCursorsRepo(reads)),
    webhooks: guarded(webhooksRepo(reads)),
    webhookDeliveries: guarded(webhookDeliveriesRepo(reads)),
    incomingHooks: guarded(incomingHooksRepo(reads)),
    pluginStates: guarded(pluginStatesRepo(reads)),
    taskMoves: guarded(taskMovesRepo(reads)),
    analytics: guarded(analyticsRepo(reads)),
    jobs: guarded(mongoJobsRepo(models)),
    purge: guarded(purgeRepo(models, (projectId) => committer.dropFeed(projectId))),
    write,
    ping: async () => {
      if (closed) throw new Error('the store is closed');
      try {
        await pingServer(connection);
      } catch (error) {
        throw translateError(error);
      }
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await Promise.allSettled(inFlight);
      await connection.close();
    },
  };
}
