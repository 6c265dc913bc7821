// Purges on the queue. Deleting a project or a room is one unit of work that
// makes it unreachable at once; what it leaves behind is deleted here, later
// and in batches. Jobs only wake the purge up: a purge reads what is left from
// the store (a project without its row but with its feed, a room without its
// row but with messages), so the bus queues one per deletion, and a reconciler
// finds any purge that was never queued, lost, or cut off by a crash.

import type { ServiceDeps } from '../../core/services/deps.js';
import type { JobHandler, Queue } from '../queue.js';
import { purgeProject } from './project.js';
import { purgeRoom } from './room.js';
import type { PurgeCounts } from './sweep.js';

export const PURGE_JOB = { project: 'purge.project', room: 'purge.room', reconcile: 'purge.reconcile' } as const;

export interface PurgeTuning {
  /** How long after a deletion its purge starts: sockets still replaying read `project.deleted` from the feed first. */
  delayMs?: number;
  reconcileEveryMs?: number;
  /** Records per batch. */
  batch?: number;
}

const DEFAULT_DELAY_MS = 30_000;
const RECONCILE_EVERY_MS = 15 * 60_000;
/** Deleted projects and rooms queued per reconciliation; the next one takes the rest. */
const RECONCILE_LIMIT = 500;
const RETRY = { attempts: 20, backoff: { delayMs: 10_000, maxDelayMs: 15 * 60_000 } };

export interface PurgeJobs {
  handlers: Readonly<Record<string, JobHandler>>;
  /** Queues the purge of a project that may never come to exist (an import's staged records): a no-op if it does by then. */
  later(projectId: string, delayMs: number): Promise<void>;
  start(): Promise<void>;
  stop(): void;
}

export function createPurgeJobs(options: { deps: ServiceDeps; queue: Queue } & PurgeTuning): PurgeJobs {
  const { deps, queue } = options;
  const delayMs = options.delayMs ?? DEFAULT_DELAY_MS;
  const reconcileEvery = options.reconcileEveryMs ?? RECONCILE_EVERY_MS;
  const unsubscribe: (() => void)[] = [];

  async function queuePurge(kind: 'project' | 'room', id: string, jobId: string, runAt: number): Promise<void> {
    await queue
      .add(PURGE_JOB[kind], { id }, { id: jobId, runAt, ...RETRY })
      .catch((error: unknown) => deps.logger.warn({ err: error, kind, id }, 'queueing a purge failed; the reconciler will'));
  }

  const logged = (kind: 'project' | 'room', id: string, counts: PurgeCounts | null): void => {
    if (counts) deps.logger.info({ [`${kind}Id`]: id, deleted: counts }, `purged a deleted ${kind}`);
  };

  return {
    handlers: {
      [PURGE_JOB.project]: async (job) => {
        const projectId = job.data.id as string;
        logged('project', projectId, await purgeProject(deps.store, projectId, options.batch));
      },
      [PURGE_JOB.room]: async (job) => {
        const roomId = job.data.id as string;
        logged('room', roomId, await purgeRoom(deps.store, roomId, options.batch));
      },
      [PURGE_JOB.reconcile]: async (job) => {
        const slot = Math.floor(Math.max(job.runAt, Date.now()) / reconcileEvery) + 1;
        // Its own id per run: a purge kept as failed under the deletion's id must not block this one.
        for (const projectId of await deps.store.purge.deletedProjects(RECONCILE_LIMIT)) await queuePurge('project', projectId, `purge.project.${projectId}.r${slot}`, Date.now());
        for (const roomId of await deps.store.purge.deletedRooms(RECONCILE_LIMIT)) await queuePurge('room', roomId, `purge.room.${roomId}.r${slot}`, Date.now());
        await queue.add(PURGE_JOB.reconcile, {}, { id: `purge.reconcile.${slot}`, runAt: slot * reconcileEvery, attempts: 3 });
      },
    },
    later: async (projectId, delay) => {
      const runAt = Date.now() + delay;
      await queue.add(PURGE_JOB.project, { id: projectId }, { id: `purge.project.${projectId}.staged.${runAt}`, runAt, ...RETRY });
    },
    async start() {
      unsubscribe.push(
        deps.bus.subscribe(async (change) => {
          if (change.type === 'project.deleted') await queuePurge('project', change.projectId, `purge.project.${change.projectId}`, Date.now() + delayMs);
          if (change.type === 'room.deleted' && typeof change.data.id === 'string') {
            await queuePurge('room', change.data.id, `purge.room.${change.data.id}`, Date.now() + delayMs);
          }
        }),
      );
      await queue
        .add(PURGE_JOB.reconcile, {}, { id: `purge.reconcile.boot.${Date.now()}`, attempts: 3 })
        .catch((error: unknown) => deps.logger.warn({ err: error }, 'queueing the purge reconciliation failed'));
    },
    stop() {
      for (const off of unsubscribe.splice(0)) off();
    },
  };
}
