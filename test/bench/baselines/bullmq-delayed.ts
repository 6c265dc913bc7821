// Bare BullMQ: a Queue and a Worker on the given Redis, N delayed jobs with the
// due times S7 gives its reminders, and a processor that only notes when it ran.
// The floor under a reminder on the BullMQ queue: no store, no notification.
// Job options as Taskwire's queue sets them (removeOnComplete, 5 attempts), and
// its default concurrency of 8.

import { Queue, Worker, type Job } from 'bullmq';
import { setTimeout as sleep } from 'node:timers/promises';

export interface BareDelivery {
  id: string;
  dueAt: number;
  at: number;
}

export interface BareDelayedOptions {
  url: string;
  /** Due times (epoch ms), one job each. */
  dueTimes: readonly number[];
  concurrency: number;
  /** Give up waiting this long after the last due time. */
  graceMs: number;
}

export interface BareDelayedResult {
  deliveries: BareDelivery[];
  /** How many times each job ran (an id run twice counts 2). */
  runs: Map<string, number>;
  /** When the last job was added (epoch ms): must be before the first due time. */
  addedAt: number;
}

const QUEUE = 's7-bare';
const CHUNK = 1_000;

export async function runBareDelayed(options: BareDelayedOptions): Promise<BareDelayedResult> {
  const connection = { url: options.url, maxRetriesPerRequest: null };
  const deliveries: BareDelivery[] = [];
  const runs = new Map<string, number>();
  const worker = new Worker(
    QUEUE,
    async (job: Job) => {
      const at = Date.now();
      const id = job.id ?? '';
      deliveries.push({ id, dueAt: (job.data as { dueAt: number }).dueAt, at });
      runs.set(id, (runs.get(id) ?? 0) + 1);
    },
    { connection, concurrency: options.concurrency },
  );
  const queue = new Queue(QUEUE, { connection });
  try {
    await worker.waitUntilReady();
    await queue.waitUntilReady();
    for (let from = 0; from < options.dueTimes.length; from += CHUNK) {
      const now = Date.now();
      await queue.addBulk(
        options.dueTimes.slice(from, from + CHUNK).map((dueAt, k) => ({
          name: 'reminder',
          data: { dueAt },
          opts: { jobId: `r${from + k}`, timestamp: now, delay: Math.max(0, dueAt - now), attempts: 5, removeOnComplete: true },
        })),
      );
    }
    const addedAt = Date.now();
    const last = Math.max(...options.dueTimes);
    while (deliveries.length < options.dueTimes.length && Date.now() < last + options.graceMs) await sleep(200);
    return { deliveries, runs, addedAt };
  } finally {
    await worker.close().catch(() => undefined);
    await queue.close().catch(() => undefined);
  }
}
