// The Queue port: what the rest of Taskwire may ask of a job queue. Two homes
// pass one contract suite (test/contract/queue): the embedded queue, durable in
// the Store and run by an in-process poller with leases (jobs/embedded.ts), and
// BullMQ on Redis (jobs/bullmq.ts). No driver type crosses this file.
//
// The store is the truth and a queue only executes: a job carries ids, never
// the state it acts on, and its handler re-reads that state when it runs. So a
// job may run late, twice (at least once), or after its reason went away, and
// the handler decides; what it sends carries a unique key in the store.

/** Job ids: BullMQ refuses `:` in custom ids (it builds Redis keys with it), so both homes accept the same safe set. */
const JOB_ID = /^[A-Za-z0-9_.-]{1,200}$/;

export interface Backoff {
  /** Delay before the first retry; each next retry waits twice as long, with up to 25% jitter. */
  delayMs: number;
  /** The longest wait between two tries. */
  maxDelayMs?: number;
}

export interface AddOptions {
  /** Unique per job: adding an id that is still queued, running or kept as failed does nothing. */
  id: string;
  /** When the job is due (epoch ms); now when absent or in the past. */
  runAt?: number;
  /** Total tries including the first; default 5. */
  attempts?: number;
  backoff?: Backoff;
}

export interface Job {
  id: string;
  name: string;
  data: Record<string, unknown>;
  /** Tries made before this one (0 on the first run). */
  attemptsMade: number;
  attempts: number;
  /** When the job was due (epoch ms). */
  runAt: number;
}

/** Whether this run is the job's last chance: a handler records a final failure before it throws. */
export const isLastAttempt = (job: Job): boolean => job.attemptsMade + 1 >= job.attempts;

export type JobHandler = (job: Job) => Promise<void>;

/** Thrown by a handler whose job can never succeed: no more tries, the job is failed at once. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

export interface QueueCounts {
  /** Due now, not running. */
  waiting: number;
  /** Due later. */
  delayed: number;
  active: number;
  failed: number;
}

export interface WorkerOptions {
  /** Jobs this process runs at once. */
  concurrency: number;
}

export interface Queue {
  readonly kind: 'inline' | 'bullmq';
  /** Enqueues a job; rejects with QueueUnavailableError when the queue cannot be reached in time (never hangs). */
  add(name: string, data: Record<string, unknown>, options: AddOptions): Promise<void>;
  /** Removes a queued job so it never runs; an unknown id, or a job already running, is left as it is. */
  remove(id: string): Promise<void>;
  /** Starts running jobs in this process, one handler per job name. Called at most once. */
  work(handlers: Readonly<Record<string, JobHandler>>, options: WorkerOptions): void;
  counts(): Promise<QueueCounts>;
  /** Resolves when the queue can take jobs (used by /health). */
  ping(): Promise<void>;
  /** Stops taking jobs, lets running ones finish (up to drainMs), then releases connections. */
  close(drainMs?: number): Promise<void>;
}

export class QueueUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueueUnavailableError';
  }
}

export const DEFAULT_ATTEMPTS = 5;
export const DEFAULT_BACKOFF: Backoff = { delayMs: 5_000, maxDelayMs: 15 * 60_000 };

/** Throws on an id both homes could not store; a programming error, not user input. */
export function checkJobId(id: string): void {
  if (!JOB_ID.test(id)) throw new Error(`invalid job id ${JSON.stringify(id)}: use 1-200 of A-Z a-z 0-9 _ . -`);
}

/** Delay before try number `attemptsMade + 1`, given `attemptsMade` tries failed: one formula for both homes. */
export function retryDelay(backoff: Backoff, attemptsMade: number, random: () => number = Math.random): number {
  const base = backoff.delayMs * 2 ** Math.max(0, attemptsMade - 1);
  const capped = Math.min(base, backoff.maxDelayMs ?? Number.POSITIVE_INFINITY);
  // Jitter spreads retries of jobs that failed together (an SMTP outage) so they do not all return at once.
  return Math.round(capped * (1 - 0.25 * random()));
}
