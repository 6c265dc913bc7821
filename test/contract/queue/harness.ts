// Runs one body of Queue contract tests against every home of the port: BullMQ
// on the shared redis-server, and the embedded queue on a SQLite file and on the
// MongoDB-compatible server. Each test gets a fresh backing (its own Redis queue
// name, SQLite file or database); every queue a test opens works on that backing,
// so a second open() stands for a restart or another process.
//
// QUEUE_IMPLS=bullmq,sqlite,mongo (comma-separated) narrows the run while
// working on one home; the default is all of them.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../../../core/logger.js';
import type { Store } from '../../../core/store/ports.js';
import { createMongoStore } from '../../../core/store/mongo/index.js';
import { createSqliteStore } from '../../../core/store/sqlite/index.js';
import { createBullmqQueue } from '../../../jobs/bullmq.js';
import { createEmbeddedQueue } from '../../../jobs/embedded.js';
import type { Queue } from '../../../jobs/queue.js';
import { getMongo, getRedis, useService } from '../../support/services.js';
import { makeTempDir } from '../../support/tmp.js';

export type ImplementationId = 'bullmq' | 'sqlite' | 'mongo';

/** Where a queue keeps its jobs, as plain data so a child process can open the same one. */
export type Backing =
  | { impl: 'bullmq'; url: string; queueName: string; prefix: string }
  | { impl: 'sqlite'; path: string }
  | { impl: 'mongo'; uri: string };

export interface OpenOptions {
  /**
   * How soon a job cut off mid-run (its process died) runs again: the embedded lease, BullMQ's lock duration (its
   * stalled check runs twice as often). Defaults to each home's own default.
   */
  leaseMs?: number;
}

export interface QueueHarness {
  readonly impl: ImplementationId;
  /** A new queue on this test's backing; closed after the test unless the test closed it. */
  open(options?: OpenOptions): Promise<Queue>;
  /**
   * Runs a worker in a child process on this backing whose `name` handler never returns, and SIGKILLs that process
   * once it has started a job: a worker dying mid-job. Resolves with the started job's id once the process is gone.
   */
  killWorkerMidJob(name: string, options: Required<OpenOptions>): Promise<string>;
}

interface Implementation {
  id: ImplementationId;
  title: string;
  /** Starts (or finds) the service this home needs, from a `before` hook; skips or fails as services.ts says. */
  require(ctx: Mocha.Context): Promise<void>;
  /** A fresh backing for one test. */
  backing(): Promise<Backing>;
}

const logger = createLogger('silent');
/** Short enough that tests see jobs added by another instance promptly. */
const POLL_MS = 50;
const CHILD = fileURLToPath(new URL('./children/doomed-worker.ts', import.meta.url));

const IMPLEMENTATIONS: Implementation[] = [
  {
    id: 'bullmq',
    title: 'bullmq',
    require: async (ctx) => void (await useService(ctx, 'redis', 'the Queue contract on BullMQ')),
    backing: async () => {
      const redis = await getRedis();
      const id = randomUUID().replaceAll('-', '').slice(0, 12);
      return { impl: 'bullmq', url: redis!.url, queueName: `q${id}`, prefix: `twtest${id}` };
    },
  },
  {
    id: 'sqlite',
    title: 'embedded [sqlite]',
    require: async () => undefined,
    backing: async () => ({ impl: 'sqlite', path: join(makeTempDir('tw-queue'), `${randomUUID()}.sqlite`) }),
  },
  {
    id: 'mongo',
    title: 'embedded [mongo]',
    require: async (ctx) => void (await useService(ctx, 'mongo', 'the Queue contract on the embedded queue over MongoDB')),
    backing: async () => {
      const mongo = await getMongo();
      return { impl: 'mongo', uri: mongo!.uri(`tw_queue_${randomUUID().replaceAll('-', '').slice(0, 16)}`) };
    },
  },
];

export interface Opened {
  queue: Queue;
  /** Closes what the queue does not own (the embedded queue's store); after queue.close(). */
  release(): Promise<void>;
}

/** Opens a queue on `backing` with the test settings; used by the harness and by the child process. */
export async function openOn(backing: Backing, options: OpenOptions = {}): Promise<Opened> {
  const { leaseMs } = options;
  if (backing.impl === 'bullmq') {
    const timing = leaseMs === undefined ? {} : { lockMs: leaseMs, stalledIntervalMs: Math.max(100, Math.floor(leaseMs / 2)) };
    const queue = await createBullmqQueue({ url: backing.url, logger, queueName: backing.queueName, prefix: backing.prefix, ...timing });
    return { queue, release: async () => undefined };
  }
  const store: Store = backing.impl === 'sqlite' ? createSqliteStore({ path: backing.path }) : await createMongoStore({ uri: backing.uri });
  const queue = createEmbeddedQueue({ jobs: store.jobs, logger, pollMs: POLL_MS, ...(leaseMs === undefined ? {} : { leaseMs }) });
  return { queue, release: () => store.close() };
}

function selected(): Implementation[] {
  const wanted = process.env.QUEUE_IMPLS?.split(',').map((s) => s.trim()).filter(Boolean);
  if (!wanted || wanted.length === 0) return IMPLEMENTATIONS;
  const unknown = wanted.filter((w) => !IMPLEMENTATIONS.some((i) => i.id === w));
  if (unknown.length > 0) throw new Error(`QUEUE_IMPLS names unknown homes: ${unknown.join(', ')} (known: bullmq, sqlite, mongo)`);
  return IMPLEMENTATIONS.filter((i) => wanted.includes(i.id));
}

export function forEachQueue(title: string, body: (harness: QueueHarness) => void): void {
  for (const implementation of selected()) {
    describe(`${title} [${implementation.title}]`, function () {
      const opened: Array<Opened & { closed: boolean }> = [];
      const children = new Set<ChildProcess>();
      let backing: Backing;

      const harness: QueueHarness = {
        impl: implementation.id,
        async open(options) {
          const entry = { ...(await openOn(backing, options)), closed: false };
          opened.push(entry);
          // The test may close a queue itself (a restart); the harness then does not close it again.
          const close = entry.queue.close.bind(entry.queue);
          entry.queue.close = (drainMs?: number) => {
            entry.closed = true;
            return close(drainMs);
          };
          return entry.queue;
        },
        killWorkerMidJob: (name, options) => killWorkerMidJob(backing, name, options, children),
      };

      before(async function () {
        await implementation.require(this);
      });

      beforeEach(async () => {
        backing = await implementation.backing();
      });

      afterEach(async () => {
        for (const child of children) child.kill('SIGKILL');
        children.clear();
        // Closed in reverse so a restarted queue goes before the one it replaced; short drains, tests end their jobs.
        for (const entry of opened.toReversed()) {
          if (!entry.closed) await entry.queue.close(500);
          await entry.release();
        }
        opened.length = 0;
      });

      body(harness);
    });
  }
}

async function killWorkerMidJob(backing: Backing, name: string, options: Required<OpenOptions>, children: Set<ChildProcess>): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(backing), name, String(options.leaseMs)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const match = /^started (.+)$/.exec(line);
      if (match) resolve(match[1]!);
    });
    void exited.then(() => reject(new Error(`the doomed worker exited before starting a job:\n${stderr}`)));
  });
  child.kill('SIGKILL');
  await exited;
  children.delete(child);
  return started;
}
