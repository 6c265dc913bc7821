// The embedded queue (no REDIS_URL): jobs are rows in the Store, run by an
// in-process poller. A runner leases the jobs it claims and renews the lease
// while a handler runs; a process that dies (SIGKILL) stops renewing, its lease
// runs out and another poller, or the same one after a restart, claims the job
// again. So a job survives a restart and one cut off mid-run runs again.

import { randomUUID } from 'node:crypto';
import type { Logger } from '../core/logger.js';
import type { JobsRepo, StoredJob } from '../core/store/ports.js';
import {
  checkJobId,
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF,
  PermanentJobError,
  retryDelay,
  type AddOptions,
  type Job,
  type JobHandler,
  type Queue,
  type WorkerOptions,
} from './queue.js';

export interface EmbeddedQueueOptions {
  jobs: JobsRepo;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** How long a claim lasts without renewal: how soon a job cut off by a crash runs again. */
  leaseMs?: number;
  /** The longest the poller sleeps; bounds how late it sees jobs added by other processes. */
  pollMs?: number;
}

const DEFAULT_LEASE_MS = 30_000;
const DEFAULT_POLL_MS = 500;

export function createEmbeddedQueue(options: EmbeddedQueueOptions): Queue {
  const { jobs, logger } = options;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const owner = randomUUID();
  const running = new Map<string, Promise<void>>();
  let handlers: Readonly<Record<string, JobHandler>> | null = null;
  let concurrency = 1;
  let closing = false;
  let timer: NodeJS.Timeout | null = null;
  let wakeAt = Number.POSITIVE_INFINITY;
  let ticking = false;
  let tickAgain = false;
  let storeDown = false;

  /** Runs the poller at `at` (epoch ms) unless it is already due sooner. */
  function wake(at = Date.now()): void {
    if (!handlers || closing) return;
    if (ticking) {
      if (at <= Date.now()) tickAgain = true;
      return;
    }
    if (at >= wakeAt) return;
    if (timer) clearTimeout(timer);
    wakeAt = at;
    timer = setTimeout(() => void tick(), Math.max(0, at - Date.now()));
  }

  async function tick(): Promise<void> {
    timer = null;
    wakeAt = Number.POSITIVE_INFINITY;
    ticking = true;
    tickAgain = false;
    let next = Date.now() + pollMs;
    try {
      const free = concurrency - running.size;
      if (free > 0) {
        const claimed = await jobs.claim(owner, Date.now(), leaseMs, free);
        for (const job of claimed) start(job);
        if (claimed.length === free) tickAgain = true;
      }
      const due = await jobs.nextRunAt();
      if (due !== null) next = Math.min(next, due);
      if (storeDown) logger.info('the job store is reachable again');
      storeDown = false;
    } catch (error) {
      // One line per outage; the poller keeps trying every pollMs.
      if (!storeDown) logger.warn({ err: error }, 'the job store is unreachable; jobs wait');
      storeDown = true;
    } finally {
      ticking = false;
    }
    if (closing) return;
    // A full batch may leave more due jobs; with no free slot, a finishing job wakes the poller.
    if (tickAgain && running.size < concurrency) wake();
    else wake(next);
  }

  function start(stored: StoredJob): void {
    const run = execute(stored).finally(() => {
      running.delete(stored.id);
      wake();
    });
    running.set(stored.id, run);
  }

  async function execute(stored: StoredJob): Promise<void> {
    const job: Job = { id: stored.id, name: stored.name, data: stored.data, attemptsMade: stored.attemptsMade, attempts: stored.attempts, runAt: stored.runAt };
    const renewal = setInterval(() => {
      jobs.renew(job.id, owner, Date.now() + leaseMs).then(
        (held) => held || logger.warn({ jobId: job.id }, 'lost the lease of a running job; it may run again elsewhere'),
        (error: unknown) => logger.warn({ err: error, jobId: job.id }, 'renewing a job lease failed'),
      );
    }, Math.max(50, Math.floor(leaseMs / 3)));
    try {
      const handler = handlers?.[job.name];
      if (!handler) throw new PermanentJobError(`no handler for jobs named ${job.name}`);
      await handler(job);
      clearInterval(renewal);
      await jobs.complete(job.id, owner);
    } catch (error) {
      clearInterval(renewal);
      const message = error instanceof Error ? error.message : String(error);
      const tries = job.attemptsMade + 1;
      try {
        if (error instanceof PermanentJobError || tries >= job.attempts) {
          logger.error({ err: error, jobId: job.id, name: job.name, tries }, 'a job failed for good');
          await jobs.fail(job.id, owner, message);
        } else {
          const delay = retryDelay(stored.backoff, tries);
          logger.warn({ err: error, jobId: job.id, name: job.name, tries, retryInMs: delay }, 'a job failed; retrying');
          await jobs.retry(job.id, owner, Date.now() + delay, message);
          wake(Date.now() + delay);
        }
      } catch (storeError) {
        // The lease runs out and the job is tried again: nothing is lost, it may only run once more.
        logger.error({ err: storeError, jobId: job.id }, 'recording a job failure failed');
      }
    }
  }

  return {
    kind: 'inline',
    async add(name: string, data: Record<string, unknown>, add: AddOptions): Promise<void> {
      checkJobId(add.id);
      const runAt = Math.max(add.runAt ?? Date.now(), 0);
      const added = await jobs.add({
        id: add.id,
        name,
        data,
        runAt,
        attempts: add.attempts ?? DEFAULT_ATTEMPTS,
        backoff: add.backoff ?? DEFAULT_BACKOFF,
      });
      if (added) wake(runAt);
    },
    async remove(id: string): Promise<void> {
      await jobs.remove(id);
    },
    work(registered: Readonly<Record<string, JobHandler>>, worker: WorkerOptions): void {
      if (handlers) throw new Error('work() was already called on this queue');
      handlers = registered;
      concurrency = Math.max(1, Math.floor(worker.concurrency));
      wake();
    },
    counts: () => jobs.counts(Date.now()),
    async ping(): Promise<void> {
      await jobs.nextRunAt();
    },
    async close(drainMs = 10_000): Promise<void> {
      closing = true;
      if (timer) clearTimeout(timer);
      timer = null;
      let timeout: NodeJS.Timeout | undefined;
      const drained = Promise.allSettled(running.values());
      // Jobs still running after drainMs keep their lease until it runs out, then run again elsewhere.
      await Promise.race([drained, new Promise((resolve) => (timeout = setTimeout(resolve, drainMs)))]);
      clearTimeout(timeout);
    },
  };
}
