// The BullMQ home during a Redis outage, on a redis-server of this suite's own
// (killed and restarted empty, so only jobs added after it returns are asserted):
// add() gives up within addTimeoutMs instead of hanging, /health's ping and
// counts fail fast, the worker resumes by itself, close() never hangs, and the
// log gets a line per outage rather than one per reconnect attempt.

import { expect } from 'chai';
import type { Logger } from '../../../core/logger.js';
import { createBullmqQueue } from '../../../jobs/bullmq.js';
import { QueueUnavailableError, type Queue } from '../../../jobs/queue.js';
import { startRedis, type RedisServer } from '../../support/redis.js';
import { useService } from '../../support/services.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not within ${timeoutMs} ms`);
    await sleep(50);
  }
}

function capturingLogger() {
  const lines: Array<{ level: string; msg: string }> = [];
  const at = (level: string) => (first: unknown, msg?: string) => void lines.push({ level, msg: typeof first === 'string' ? first : (msg ?? '') });
  const logger = { info: at('info'), warn: at('warn'), error: at('error') } as unknown as Pick<Logger, 'info' | 'warn' | 'error'>;
  return { lines, logger };
}

/** How long `promise` took to reject, and with what; fails the test if it resolves. */
async function rejection(promise: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await promise;
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
  throw new Error('expected a rejection');
}

describe('BullMQ queue during a Redis outage', function () {
  this.timeout(60_000);
  const ADD_TIMEOUT_MS = 1_000;
  let redis: RedisServer;
  let queue: Queue | undefined;

  beforeEach(async function () {
    const own = await startRedis();
    if (!own) {
      await useService(this, 'redis', 'the BullMQ outage cases');
      throw new Error('unreachable: useService skips or fails without redis-server');
    }
    redis = own;
  });

  afterEach(async () => {
    await queue?.close(500);
    queue = undefined;
    await redis.stop();
  });

  it('rejects add() within about addTimeoutMs, fails ping and counts fast, and resumes working after Redis returns', async () => {
    const { lines, logger } = capturingLogger();
    queue = await createBullmqQueue({ url: redis.url, logger, queueName: 'outage', addTimeoutMs: ADD_TIMEOUT_MS });
    const runs: string[] = [];
    queue.work({ note: async (job) => void runs.push(job.id) }, { concurrency: 2 });
    await queue.add('note', {}, { id: 'before' });
    await eventually(() => runs.includes('before'), 5_000, 'the first job run');

    redis.kill('SIGKILL');
    await sleep(300);
    const add = await rejection(queue.add('note', {}, { id: 'during' }));
    expect(add.error).to.be.instanceOf(QueueUnavailableError);
    expect(add.ms).to.be.within(ADD_TIMEOUT_MS - 100, ADD_TIMEOUT_MS + 500);
    const ping = await rejection(queue.ping());
    expect(ping.error).to.be.instanceOf(QueueUnavailableError);
    expect(ping.ms).to.be.below(200);
    const counts = await rejection(queue.counts());
    expect(counts.error).to.be.instanceOf(QueueUnavailableError);
    expect(counts.ms).to.be.below(200);
    // Several reconnect attempts fail meanwhile.
    await sleep(2_000);

    await redis.restart();
    await eventually(
      () =>
        queue!.add('note', {}, { id: 'after' }).then(
          () => true,
          () => false,
        ),
      10_000,
      'add() accepted again',
    );
    await eventually(() => runs.includes('after'), 20_000, 'the worker running jobs again');
    await queue.ping();
    expect(runs).to.not.include('during');
    const lost = lines.filter((l) => /lost Redis/.test(l.msg));
    // One line per client (producer, worker) per outage, not one per reconnect attempt.
    expect(lost.length, JSON.stringify(lines)).to.be.within(1, 3);
  });

  it('closes promptly while Redis is down, with a worker', async () => {
    const { logger } = capturingLogger();
    queue = await createBullmqQueue({ url: redis.url, logger, queueName: 'outage-close', addTimeoutMs: ADD_TIMEOUT_MS });
    queue.work({ note: async () => undefined }, { concurrency: 1 });
    await sleep(200);
    redis.kill('SIGKILL');
    await sleep(300);
    const started = Date.now();
    await queue.close(10_000);
    expect(Date.now() - started).to.be.below(2_500);
  });

  it('starts while Redis is down and takes jobs once it is up', async () => {
    const { logger } = capturingLogger();
    redis.kill('SIGKILL');
    await sleep(200);
    const started = Date.now();
    queue = await createBullmqQueue({ url: redis.url, logger, queueName: 'outage-boot', addTimeoutMs: ADD_TIMEOUT_MS });
    expect(Date.now() - started).to.be.below(ADD_TIMEOUT_MS + 500);
    const runs: string[] = [];
    queue.work({ note: async (job) => void runs.push(job.id) }, { concurrency: 1 });
    expect((await rejection(queue.add('note', {}, { id: 'early' }))).error).to.be.instanceOf(QueueUnavailableError);
    await redis.restart();
    await eventually(
      () =>
        queue!.add('note', {}, { id: 'late' }).then(
          () => true,
          () => false,
        ),
      10_000,
      'add() accepted',
    );
    await eventually(() => runs.includes('late'), 20_000, 'the job run');
    expect(runs).to.deep.equal(['late']);
  });
});
