// The Queue port on BullMQ (Redis), for several nodes: one BullMQ queue, the
// port's job name as BullMQ's job name and the port's id as BullMQ's jobId, so
// BullMQ's own "an existing jobId is not added again" gives the port's rule.
//
// Two kinds of connection, on purpose:
// - the producer (add, remove, counts, ping) is our own ioredis client without
//   an offline queue, so while Redis is down a call fails or times out instead of
//   waiting in memory, and we can tell "not connected" before sending anything;
// - the Worker gets connection options and owns its two clients (BullMQ wants a
//   dedicated blocking one), which queue commands and reconnect forever, so
//   workers resume by themselves once Redis returns.

import { Queue as BullQueue, UnrecoverableError, Worker, type Job as BullJob, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from '../core/logger.js';
import {
  checkJobId,
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF,
  isLastAttempt,
  PermanentJobError,
  QueueUnavailableError,
  retryDelay,
  type Backoff,
  type Job,
  type JobHandler,
  type Queue,
} from './queue.js';

export interface BullmqQueueOptions {
  url: string;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** The BullMQ queue name; no `:`. */
  queueName?: string;
  /** How long a running job's lock lasts without renewal: a worker that died is noticed after about this. */
  lockMs?: number;
  /** How often workers look for jobs whose lock lapsed. */
  stalledIntervalMs?: number;
  /** The longest add(), remove(), counts() or ping() waits for Redis before QueueUnavailableError. */
  addTimeoutMs?: number;
  /** BullMQ's key prefix (default `bull`). */
  prefix?: string;
}

/** The backoff type under which the Worker's strategy applies the port's formula. */
const BACKOFF_TYPE = 'taskwire';
/** Failed jobs stay this long for inspection (and keep their id taken, as the port says). */
const KEEP_FAILED_SECONDS = 7 * 24 * 3600;
/**
 * Stalls (a worker that died or lost its lock mid-run) a job survives before BullMQ fails it. BullMQ's default of 1
 * fails a job on its second stall; a deploy that kills workers twice must not fail jobs, while a job that kills every
 * worker that runs it should still end.
 */
const MAX_STALLED = 10;
/** How long close() gives BullMQ to release its connections once nothing is left to wait for. */
const RELEASE_MS = 1_000;

/** ioredis reconnects after this many ms, forever, backing off up to 2 s (as the Redis bus does). */
const retryStrategy = (attempt: number) => Math.min(100 * attempt, 2_000);

/** BullMQ job options as we store them: the port's Backoff rides in `backoff`, which BullMQ keeps as given. */
interface StoredBackoff {
  type: typeof BACKOFF_TYPE;
  delay: number;
  maxDelayMs?: number;
}

export async function createBullmqQueue(options: BullmqQueueOptions): Promise<Queue> {
  const { url, logger } = options;
  const queueName = options.queueName ?? 'taskwire';
  const lockMs = options.lockMs ?? 30_000;
  const stalledIntervalMs = options.stalledIntervalMs ?? 30_000;
  const addTimeoutMs = options.addTimeoutMs ?? 5_000;
  const prefix = options.prefix === undefined ? {} : { prefix: options.prefix };

  const outages = new OutageLog(logger);
  const producer = new Redis(url, { retryStrategy, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  producer.on('error', (error: Error) => outages.failed('producer', error));
  producer.on('ready', () => outages.recovered('producer'));
  const queue = new BullQueue(queueName, { connection: producer, ...prefix });
  // BullMQ re-emits the producer's errors here; they are logged above, and an emitter without a listener would throw.
  queue.on('error', (error: Error) => {
    if (!isConnectionError(error)) logger.error({ err: error, queue: queueName }, 'BullMQ queue error');
  });

  // Give the first connection the time an add() would get; a Redis that is down at boot is retried in the background.
  await connected(producer, addTimeoutMs, () => new Error('timeout')).catch(() =>
    logger.warn({ queue: queueName }, `BullMQ could not reach Redis within ${addTimeoutMs} ms; jobs wait until it can`),
  );

  let worker: Worker | undefined;
  const running = new Set<Promise<unknown>>();
  let closing: Promise<void> | undefined;

  /**
   * Runs `work` on the producer, all within addTimeoutMs. `waitForRedis` lets a call made during a reconnect wait for
   * it (add, remove); without it a disconnected producer fails at once (ping, counts: /health must answer quickly).
   * Nothing is sent after giving up, so a rejected add cannot land later.
   */
  async function producerCall<T>(what: string, work: () => Promise<T>, waitForRedis: boolean): Promise<T> {
    if (closing) throw new QueueUnavailableError(`${what}: the queue is closed`);
    const deadline = Date.now() + addTimeoutMs;
    const unavailable = () => new QueueUnavailableError(`${what}: Redis did not answer within ${addTimeoutMs} ms`);
    try {
      if (producer.status !== 'ready' && !waitForRedis) throw new QueueUnavailableError(`${what}: not connected to Redis`);
      await connected(producer, addTimeoutMs, unavailable);
      return await within(work(), Math.max(1, deadline - Date.now()), unavailable);
    } catch (error) {
      if (error instanceof QueueUnavailableError) throw error;
      if (isConnectionError(error as Error)) throw new QueueUnavailableError(`${what}: ${(error as Error).message}`);
      throw error;
    }
  }

  function processor(handlers: Readonly<Record<string, JobHandler>>) {
    return async (bull: BullJob): Promise<void> => {
      const handler = Object.hasOwn(handlers, bull.name) ? handlers[bull.name] : undefined;
      if (!handler) throw new UnrecoverableError(`no handler for job name ${JSON.stringify(bull.name)}`);
      const job = toPortJob(bull);
      // A handler that throws before returning its promise fails its try like one that rejects.
      const run = (async () => handler(job))();
      running.add(run);
      try {
        await run;
      } catch (error) {
        const permanent = error instanceof PermanentJobError;
        const final = permanent || isLastAttempt(job);
        const log = { err: error, jobId: job.id, name: job.name, attemptsMade: job.attemptsMade, attempts: job.attempts };
        if (final) logger.error(log, 'job failed for good');
        else logger.warn(log, 'job failed; it will be retried');
        if (permanent) throw new UnrecoverableError(error.message);
        throw error instanceof Error ? error : new Error(String(error));
      } finally {
        running.delete(run);
      }
    };
  }

  return {
    kind: 'bullmq',

    async add(name, data, addOptions) {
      checkJobId(addOptions.id);
      const now = Date.now();
      const runAt = addOptions.runAt ?? now;
      const backoff: Backoff = addOptions.backoff ?? DEFAULT_BACKOFF;
      const stored: StoredBackoff = { type: BACKOFF_TYPE, delay: backoff.delayMs, ...(backoff.maxDelayMs === undefined ? {} : { maxDelayMs: backoff.maxDelayMs }) };
      const jobOptions: JobsOptions = {
        jobId: addOptions.id,
        // timestamp + opts.delay is runAt, read back for Job.runAt: BullMQ rewrites the job's `delay` field when it
        // promotes or retries a job, never its opts. An overdue job is stamped with its runAt and no delay.
        timestamp: Math.min(now, runAt),
        delay: Math.max(0, runAt - now),
        attempts: addOptions.attempts ?? DEFAULT_ATTEMPTS,
        backoff: stored,
        // A completed job's id is free again; a failed one stays (and keeps its id) for a week.
        removeOnComplete: true,
        removeOnFail: { age: KEEP_FAILED_SECONDS },
      };
      // An existing jobId (waiting, delayed, active or failed) makes BullMQ return that job and add nothing.
      await producerCall('add', () => queue.add(name, data, jobOptions), true);
    },

    async remove(id) {
      checkJobId(id);
      // removeJob refuses (returns 0) when the job is locked by a worker, and returns 0 for an unknown id.
      await producerCall('remove', () => queue.remove(id), true);
    },

    work(handlers, { concurrency }) {
      if (worker) throw new Error('work() was already called on this queue');
      if (closing) throw new Error('the queue is closed');
      worker = new Worker(queueName, processor(handlers), {
        connection: { url, retryStrategy, maxRetriesPerRequest: null },
        ...prefix,
        concurrency,
        lockDuration: lockMs,
        stalledInterval: stalledIntervalMs,
        maxStalledCount: MAX_STALLED,
        settings: { backoffStrategy: (attemptsMade, _type, _error, job) => retryDelay(backoffOf(job?.opts.backoff), attemptsMade) },
      });
      worker.on('error', (error: Error) => {
        if (isConnectionError(error)) outages.failed('worker', error);
        else logger.error({ err: error, queue: queueName }, 'BullMQ worker error');
      });
      worker.getBackend().on('ready', () => outages.recovered('worker'));
    },

    async counts() {
      const counts = await producerCall('counts', () => queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'failed'), false);
      return {
        waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
        delayed: counts.delayed ?? 0,
        active: counts.active ?? 0,
        failed: counts.failed ?? 0,
      };
    },

    async ping() {
      await producerCall('ping', () => producer.ping(), false);
    },

    close(drainMs = 10_000) {
      closing ??= (async () => {
        if (worker) {
          const current = worker;
          // BullMQ's graceful close stops fetching, waits for running jobs and records their outcome, then closes its
          // connections. Give it drainMs, but stop waiting early when nothing of ours runs and Redis is unreachable:
          // BullMQ would otherwise wait for a reconnect that may never come.
          const graceful = current.close().catch((error: unknown) => logger.warn({ err: error }, 'BullMQ worker close failed'));
          const drained = await settles(graceful, drainMs, () => running.size === 0 && producer.status !== 'ready');
          if (!drained) {
            if (running.size > 0) logger.warn({ running: running.size, queue: queueName }, 'jobs still running at close; their locks will lapse and another worker will retry them');
            // Forced: drop the Worker's connections now. A job still running can no longer record its outcome.
            await settles(current.getBackend().close(true).catch(() => undefined), RELEASE_MS);
          }
        }
        await settles(queue.close().catch(() => undefined), RELEASE_MS);
        producer.disconnect();
        outages.mute();
      })();
      return closing;
    },
  };
}

function toPortJob(bull: BullJob): Job {
  return {
    id: bull.id ?? '',
    name: bull.name,
    data: bull.data as Record<string, unknown>,
    attemptsMade: bull.attemptsMade,
    attempts: bull.opts.attempts ?? DEFAULT_ATTEMPTS,
    runAt: bull.timestamp + (bull.opts.delay ?? 0),
  };
}

function backoffOf(stored: unknown): Backoff {
  const value = stored as Partial<StoredBackoff> | undefined;
  if (value?.type !== BACKOFF_TYPE || typeof value.delay !== 'number') return DEFAULT_BACKOFF;
  return typeof value.maxDelayMs === 'number' ? { delayMs: value.delay, maxDelayMs: value.maxDelayMs } : { delayMs: value.delay };
}

/** Logs the first failure of each outage per client, not one line per reconnect attempt. */
class OutageLog {
  private readonly down = new Set<string>();
  private muted = false;

  constructor(private readonly logger: Pick<Logger, 'info' | 'warn'>) {}

  failed(client: string, error: Error): void {
    if (this.muted || this.down.has(client)) return;
    this.down.add(client);
    this.logger.warn({ err: error, client }, 'BullMQ lost Redis; retrying');
  }

  recovered(client: string): void {
    if (this.down.delete(client) && !this.muted) this.logger.info({ client }, 'BullMQ reconnected to Redis');
  }

  /** After close, errors from connections being torn down are expected. */
  mute(): void {
    this.muted = true;
  }
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH']);

function isConnectionError(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  if (code && CONNECTION_CODES.has(code)) return true;
  return /Connection is closed|Stream isn't writeable|max retries per request|ECONNREFUSED|ECONNRESET/i.test(error.message);
}

/** Resolves once `client` is ready; rejects with `timeoutError()` after `ms`. */
function connected(client: Redis, ms: number, timeoutError: () => Error): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const ready = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      client.off('ready', ready);
      reject(timeoutError());
    }, ms);
    client.once('ready', ready);
  });
}

/** `promise`, or the error made by `timeoutError` after `ms`. */
async function within<T>(promise: Promise<T>, ms: number, timeoutError: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError()), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** True when `promise` settles within `ms`; false on timeout, or as soon as `giveUp()` holds (checked every 50 ms). */
async function settles(promise: Promise<unknown>, ms: number, giveUp: () => boolean = () => false): Promise<boolean> {
  const state = { done: false };
  void promise.then(() => (state.done = true));
  const deadline = Date.now() + ms;
  while (!state.done && Date.now() < deadline && !giveUp()) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(50, Math.max(1, deadline - Date.now()))));
  }
  return state.done;
}
