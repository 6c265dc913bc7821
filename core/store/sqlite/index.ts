// The embedded default store: one SQLite file in WAL mode through better-sqlite3.
// better-sqlite3 is synchronous, so a commit never interleaves with another
// statement of this process: reads always see whole units of work.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Committed, Store, UnitOfWork, WriteScope } from '../ports.js';
import { WriteBuffer } from '../write-buffer.js';
import { SqliteCommitter } from './commit.js';
import { DiskHealth } from './disk.js';
import { analyticsRepo, taskMovesRepo } from './analytics.js';
import { sqliteJobsRepo } from './jobs.js';
import { migrate } from './migrations.js';
import { sqlitePurgeRepo } from './purge.js';
import { Reader } from './reader.js';
import * as repos from './repositories.js';
import * as integrationRepos from './integration-repos.js';

export interface SqliteStoreOptions {
  /** Path of the database file; its folder is created when missing. */
  path: string;
}

export function createSqliteStore(options: SqliteStoreOptions): Store {
  mkdirSync(dirname(options.path), { recursive: true });
  const db = new Database(options.path);
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across application crashes in WAL mode; only a power loss can lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  const disk = new DiskHealth(db);
  try {
    disk.probe();
  } catch (error) {
    db.close();
    throw error;
  }
  migrate(db);

  const reader = new Reader(db);
  const committer = new SqliteCommitter(db);
  const inFlight = new Set<Promise<unknown>>();
  let closed = false;

  async function write<T>(scope: WriteScope, work: (uow: UnitOfWork) => T | Promise<T>): Promise<Committed<T>> {
    if (closed) throw new Error('the store is closed');
    const buffer = new WriteBuffer(scope.projectId);
    const pending = (async () => {
      const result = await work(buffer);
      const changes = disk.write(() => committer.commit(scope.projectId, buffer));
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
    kind: 'sqlite',
    users: repos.usersRepo(reader),
    tokens: repos.tokensRepo(reader),
    projects: repos.projectsRepo(reader),
    members: repos.membersRepo(reader),
    invites: repos.invitesRepo(reader),
    tasks: repos.tasksRepo(reader),
    rooms: repos.roomsRepo(reader),
    roomMembers: repos.roomMembersRepo(reader),
    messages: repos.messagesRepo(reader),
    embedTokens: repos.embedTokensRepo(reader),
    changes: repos.changesRepo(reader),
    notifications: repos.notificationsRepo(reader),
    deliveries: repos.deliveriesRepo(reader),
    outbox: repos.outboxRepo(reader),
    feedCursors: repos.feedCursorsRepo(reader),
    authTokens: repos.authTokensRepo(reader),
    settings: repos.settingsRepo(reader),
    audit: repos.auditRepo(reader),
    links: integrationRepos.linksRepo(reader),
    identities: integrationRepos.identitiesRepo(reader),
    connectCodes: integrationRepos.connectCodesRepo(reader),
    messageCopies: integrationRepos.messageCopiesRepo(reader),
    seenEvents: integrationRepos.seenEventsRepo(reader),
    linkCursors: integrationRepos.linkCursorsRepo(reader),
    webhooks: integrationRepos.webhooksRepo(reader),
    webhookDeliveries: integrationRepos.webhookDeliveriesRepo(reader),
    incomingHooks: integrationRepos.incomingHooksRepo(reader),
    pluginStates: integrationRepos.pluginStatesRepo(reader),
    taskMoves: taskMovesRepo(reader),
    analytics: analyticsRepo(reader),
    jobs: sqliteJobsRepo(db),
    purge: sqlitePurgeRepo(db),
    write,
    ping: async () => {
      if (closed || !db.open) throw new Error('the SQLite store is closed');
      db.prepare('SELECT 1').get();
      disk.check();
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await Promise.allSettled(inFlight);
      // Fold the WAL back into the main file so the database is one self-contained file after shutdown.
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}
