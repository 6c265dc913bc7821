// The Queue contract (jobs/queue.ts), run against every home in harness.ts.
// Timings are asserted loosely (polling homes wake every 50 ms in tests) but
// tightly enough that a home ignoring runAt, backoff or concurrency fails.

import { expect } from 'chai';
import { DEFAULT_ATTEMPTS, isLastAttempt, PermanentJobError, type Job, type Queue, type QueueCounts } from '../../../jobs/queue.js';
import { forEachQueue } from './harness.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** Resolves once nothing is queued, running or failed: every job completed (and its id is free again). */
async function settled(queue: Queue, timeoutMs = 5_000): Promise<void> {
  let last: QueueCounts | undefined;
  await eventually(
    async () => {
      last = await queue.counts();
      return last.waiting + last.delayed + last.active + last.failed === 0;
    },
    timeoutMs,
    `an empty queue (last counts ${JSON.stringify(last)})`,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; last counts ${JSON.stringify(last)}`);
  });
}

interface Run {
  job: Job;
  at: number;
  last: boolean;
}

/** A handler that records each run; `behaviour` decides how the run ends. */
function recorder(behaviour: (job: Job, runs: Run[]) => unknown = () => undefined) {
  const runs: Run[] = [];
  const handler = async (job: Job) => {
    runs.push({ job: structuredClone(job), at: Date.now(), last: isLastAttempt(job) });
    await behaviour(job, runs);
  };
  return { runs, handler };
}

forEachQueue('Queue contract', (h) => {
  describe('running jobs', function () {
    this.timeout(20_000);

    it('runs an added job once, with its id, name, data, attemptsMade 0 and the default attempts', async () => {
      const queue = await h.open();
      const { runs, handler } = recorder();
      queue.work({ hello: handler }, { concurrency: 1 });
      const before = Date.now();
      await queue.add('hello', { projectId: 'p1', n: 1 }, { id: 'job-1' });
      await eventually(() => runs.length === 1);
      await settled(queue);
      await sleep(300);
      expect(runs).to.have.length(1);
      const { job, at } = runs[0]!;
      expect(job).to.deep.include({ id: 'job-1', name: 'hello', data: { projectId: 'p1', n: 1 }, attemptsMade: 0, attempts: DEFAULT_ATTEMPTS });
      expect(job.runAt).to.be.within(before - 1_000, at);
    });

    it('does not run a job before its runAt, and runs it within about a second after', async () => {
      const queue = await h.open();
      const { runs, handler } = recorder();
      queue.work({ later: handler }, { concurrency: 1 });
      const runAt = Date.now() + 1_500;
      await queue.add('later', {}, { id: 'later-1', runAt });
      await sleep(1_200);
      expect(runs, 'ran early').to.have.length(0);
      await eventually(() => runs.length === 1, 3_000);
      expect(runs[0]!.at).to.be.at.least(runAt - 10);
      expect(runs[0]!.at).to.be.at.most(runAt + 1_000);
      expect(runs[0]!.job.runAt).to.equal(runAt);
    });

    it('runs a job whose runAt is in the past at once', async () => {
      const queue = await h.open();
      const { runs, handler } = recorder();
      queue.work({ overdue: handler }, { concurrency: 1 });
      const added = Date.now();
      await queue.add('overdue', {}, { id: 'overdue-1', runAt: added - 60_000 });
      await eventually(() => runs.length === 1, 2_000);
      expect(runs[0]!.at - added).to.be.below(1_000);
      expect(runs[0]!.job.runAt).to.equal(added - 60_000);
    });

    it('gives each job to the handler for its name', async () => {
      const queue = await h.open();
      const a = recorder();
      const b = recorder();
      queue.work({ a: a.handler, b: b.handler }, { concurrency: 2 });
      await queue.add('a', { x: 1 }, { id: 'for-a' });
      await queue.add('b', { x: 2 }, { id: 'for-b' });
      await eventually(() => a.runs.length === 1 && b.runs.length === 1);
      expect(a.runs[0]!.job.id).to.equal('for-a');
      expect(b.runs[0]!.job.id).to.equal('for-b');
    });
  });

  describe('ids', function () {
    this.timeout(20_000);

    it('runs a job added twice under one id while queued once, with the first data', async () => {
      const queue = await h.open();
      const { runs, handler } = recorder();
      queue.work({ dup: handler }, { concurrency: 2 });
      const runAt = Date.now() + 500;
      await queue.add('dup', { v: 1 }, { id: 'dup-1', runAt });
      await queue.add('dup', { v: 2 }, { id: 'dup-1', runAt });
      await queue.add('dup', { v: 3 }, { id: 'dup-1' });
      await eventually(() => runs.length >= 1, 3_000);
      await settled(queue);
      await sleep(300);
      expect(runs.map((r) => r.job.data)).to.deep.equal([{ v: 1 }]);
    });

    it('ignores adding the id of a running job', async () => {
      const queue = await h.open();
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const { runs, handler } = recorder(() => gate);
      queue.work({ running: handler }, { concurrency: 2 });
      await queue.add('running', { v: 1 }, { id: 'running-1' });
      await eventually(() => runs.length === 1);
      await queue.add('running', { v: 2 }, { id: 'running-1' });
      release();
      await settled(queue);
      await sleep(300);
      expect(runs.map((r) => r.job.data)).to.deep.equal([{ v: 1 }]);
    });

    it('frees an id once its job completed: the same id added again runs again', async () => {
      const queue = await h.open();
      const { runs, handler } = recorder();
      queue.work({ again: handler }, { concurrency: 1 });
      await queue.add('again', { v: 1 }, { id: 'again-1' });
      await eventually(() => runs.length === 1);
      await settled(queue);
      await queue.add('again', { v: 2 }, { id: 'again-1' });
      await eventually(() => runs.length === 2);
      expect(runs.map((r) => r.job.data)).to.deep.equal([{ v: 1 }, { v: 2 }]);
    });

    it('refuses an invalid id (empty, with ":", too long, with spaces) by throwing or rejecting', async () => {
      const queue = await h.open();
      for (const id of ['', 'task:1', 'a'.repeat(201), 'has space', 'ümlaut']) {
        let refused = false;
        try {
          await queue.add('x', {}, { id });
        } catch {
          refused = true;
        }
        expect(refused, `id ${JSON.stringify(id)}`).to.equal(true);
      }
      expect(await queue.counts()).to.deep.equal({ waiting: 0, delayed: 0, active: 0, failed: 0 });
    });
  });

  describe('remove', function () {
    this.timeout(20_000);

    it('removes a job before it is due so it never runs, and ignores an unknown id', async () => {
      const queue = await h.open();
      const { runs, handler } = recorder();
      queue.work({ removable: handler }, { concurrency: 1 });
      const runAt = Date.now() + 800;
      await queue.add('removable', {}, { id: 'rm-1', runAt });
      await queue.add('removable', {}, { id: 'rm-2', runAt });
      await queue.remove('rm-1');
      await queue.remove('never-added');
      await eventually(() => runs.length === 1, 3_000);
      await sleep(Math.max(0, runAt + 700 - Date.now()));
      expect(runs.map((r) => r.job.id)).to.deep.equal(['rm-2']);
      await settled(queue);
    });

    it('removes a job that is due but not yet taken (no worker)', async () => {
      const queue = await h.open();
      await queue.add('idle', {}, { id: 'rm-due' });
      expect((await queue.counts()).waiting).to.equal(1);
      await queue.remove('rm-due');
      expect(await queue.counts()).to.deep.equal({ waiting: 0, delayed: 0, active: 0, failed: 0 });
    });

    it('leaves a running job alone: it finishes, and runs only once', async () => {
      const queue = await h.open();
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const { runs, handler } = recorder(() => gate);
      queue.work({ busy: handler }, { concurrency: 1 });
      await queue.add('busy', {}, { id: 'busy-1' });
      await eventually(() => runs.length === 1);
      await queue.remove('busy-1');
      expect((await queue.counts()).active).to.equal(1);
      release();
      await settled(queue);
      expect(runs).to.have.length(1);
    });
  });

  describe('failures', function () {
    this.timeout(20_000);

    it('retries a throwing handler with backoff, attemptsMade counting up, until attempts are spent', async () => {
      const queue = await h.open();
      const { runs, handler } = recorder(() => {
        throw new Error('SMTP refused');
      });
      queue.work({ flaky: handler }, { concurrency: 1 });
      await queue.add('flaky', { to: 'a@b.c' }, { id: 'flaky-1', attempts: 3, backoff: { delayMs: 300 } });
      await eventually(() => runs.length === 3, 6_000);
      await sleep(1_000);
      expect(runs.map((r) => r.job.attemptsMade)).to.deep.equal([0, 1, 2]);
      expect(runs.map((r) => r.job.attempts)).to.deep.equal([3, 3, 3]);
      expect(runs.map((r) => r.last)).to.deep.equal([false, false, true]);
      expect(runs.map((r) => r.job.data)).to.deep.equal([{ to: 'a@b.c' }, { to: 'a@b.c' }, { to: 'a@b.c' }]);
      // retryDelay: 300 ms then 600 ms, each up to 25% shorter (jitter); polling may add a little.
      const gaps = [runs[1]!.at - runs[0]!.at, runs[2]!.at - runs[1]!.at];
      expect(gaps[0], `gaps ${gaps.join(', ')}`).to.be.within(225 - 10, 300 + 400);
      expect(gaps[1], `gaps ${gaps.join(', ')}`).to.be.within(450 - 10, 600 + 400);
      expect(await queue.counts()).to.deep.include({ failed: 1, waiting: 0, delayed: 0, active: 0 });
    });

    it('caps the backoff at maxDelayMs', async () => {
      const queue = await h.open();
      const { runs, handler } = recorder(() => {
        throw new Error('down');
      });
      queue.work({ capped: handler }, { concurrency: 1 });
      await queue.add('capped', {}, { id: 'capped-1', attempts: 3, backoff: { delayMs: 2_000, maxDelayMs: 100 } });
      await eventually(() => runs.length === 3, 3_000);
      // Uncapped, the waits would be at least 1.5 s and 3 s.
      expect(runs[2]!.at - runs[0]!.at).to.be.below(1_000);
    });

    it('keeps a failed job, and adding its id again does nothing', async () => {
      const queue = await h.open();
      const { runs, handler } = recorder(() => {
        throw new Error('nope');
      });
      queue.work({ doomed: handler }, { concurrency: 1 });
      await queue.add('doomed', {}, { id: 'doomed-1', attempts: 1 });
      await eventually(async () => (await queue.counts()).failed === 1);
      await queue.add('doomed', {}, { id: 'doomed-1', attempts: 1 });
      await sleep(500);
      expect(runs).to.have.length(1);
      expect(await queue.counts()).to.deep.equal({ waiting: 0, delayed: 0, active: 0, failed: 1 });
    });

    it('stops at once on PermanentJobError, whatever attempts are left', async () => {
      const queue = await h.open();
      const { runs, handler } = recorder(() => {
        throw new PermanentJobError('the task is gone');
      });
      queue.work({ permanent: handler }, { concurrency: 1 });
      await queue.add('permanent', {}, { id: 'perm-1', attempts: 5, backoff: { delayMs: 10_000 } });
      await eventually(async () => (await queue.counts()).failed === 1, 3_000);
      await sleep(600);
      expect(runs).to.have.length(1);
    });

    it('fails a job whose name has no handler, without retrying it', async () => {
      const queue = await h.open();
      const { runs, handler } = recorder();
      queue.work({ known: handler }, { concurrency: 1 });
      // A retry would wait 7.5-10 s: failing within 3 s means it was not retried.
      await queue.add('unknown', {}, { id: 'orphan-1', attempts: 3, backoff: { delayMs: 10_000 } });
      await eventually(async () => (await queue.counts()).failed === 1, 3_000);
      await sleep(500);
      expect(await queue.counts()).to.deep.equal({ waiting: 0, delayed: 0, active: 0, failed: 1 });
      // The worker is still healthy.
      await queue.add('known', {}, { id: 'known-1' });
      await eventually(() => runs.length === 1);
    });
  });

  describe('concurrency', function () {
    this.timeout(20_000);

    it('runs at most `concurrency` jobs at once in one process, and uses that many', async () => {
      const queue = await h.open();
      let now = 0;
      let peak = 0;
      const { runs, handler } = recorder(async () => {
        now++;
        peak = Math.max(peak, now);
        await sleep(300);
        now--;
      });
      queue.work({ slow: handler }, { concurrency: 2 });
      for (let i = 0; i < 6; i++) await queue.add('slow', { i }, { id: `slow-${i}` });
      await eventually(() => runs.length === 6 && now === 0, 6_000);
      expect(peak).to.equal(2);
    });

    it('runs each of 200 jobs exactly once with two instances working the same backing', async function () {
      this.timeout(60_000);
      const a = await h.open();
      const b = await h.open();
      const seen = new Map<string, number>();
      const byInstance = { a: 0, b: 0 };
      const handler = (instance: 'a' | 'b') => async (job: Job) => {
        seen.set(job.id, (seen.get(job.id) ?? 0) + 1);
        byInstance[instance]++;
        await sleep(5);
      };
      a.work({ many: handler('a') }, { concurrency: 4 });
      b.work({ many: handler('b') }, { concurrency: 4 });
      const ids = Array.from({ length: 200 }, (_, i) => `many-${i}`);
      for (const [i, id] of ids.entries()) await (i % 2 ? a : b).add('many', { i }, { id });
      await eventually(() => seen.size === 200, 40_000, `200 jobs run (seen ${seen.size})`);
      await settled(a, 10_000);
      await sleep(300);
      expect([...seen.keys()].sort()).to.deep.equal([...ids].sort());
      expect([...seen.entries()].filter(([, n]) => n !== 1), 'ran more than once').to.deep.equal([]);
      expect(byInstance.a + byInstance.b).to.equal(200);
    });
  });

  describe('restarts and crashes', function () {
    this.timeout(30_000);

    it('keeps queued jobs across a restart: a new instance runs a due and a delayed job added by a closed one', async () => {
      const first = await h.open();
      const runAt = Date.now() + 1_000;
      await first.add('durable', { v: 'later' }, { id: 'durable-later', runAt });
      await first.add('durable', { v: 'now' }, { id: 'durable-now' });
      await first.close();
      const second = await h.open();
      const { runs, handler } = recorder();
      second.work({ durable: handler }, { concurrency: 1 });
      await eventually(() => runs.length === 2, 5_000);
      const later = runs.find((r) => r.job.id === 'durable-later')!;
      expect(later.job.data).to.deep.equal({ v: 'later' });
      expect(later.at).to.be.at.least(runAt - 10);
      expect(later.job.runAt).to.equal(runAt);
      expect(runs.find((r) => r.job.id === 'durable-now')!.job.data).to.deep.equal({ v: 'now' });
    });

    it('runs a job again, exactly once more, when the worker running it dies', async () => {
      const leaseMs = 1_000;
      const producer = await h.open();
      await producer.add('fragile', { v: 1 }, { id: 'fragile-1' });
      const started = await h.killWorkerMidJob('fragile', { leaseMs });
      expect(started).to.equal('fragile-1');
      const killedAt = Date.now();
      const survivor = await h.open({ leaseMs });
      const { runs, handler } = recorder();
      survivor.work({ fragile: handler }, { concurrency: 1 });
      await eventually(() => runs.length === 1, leaseMs * 4 + 3_000, 'the job run again');
      await settled(survivor);
      await sleep(leaseMs * 2);
      expect(runs).to.have.length(1);
      expect(runs[0]!.job).to.deep.include({ id: 'fragile-1', data: { v: 1 } });
      // Not while the dead worker's lease could still be live (it was renewed shortly before the kill).
      expect(runs[0]!.at - killedAt).to.be.at.least(leaseMs * 0.3);
    });

    it('does not run a job twice while its worker lives, however long past leaseMs it runs', async () => {
      const leaseMs = 500;
      const a = await h.open({ leaseMs });
      const b = await h.open({ leaseMs });
      const { runs, handler } = recorder(() => sleep(leaseMs * 4));
      a.work({ marathon: handler }, { concurrency: 1 });
      b.work({ marathon: handler }, { concurrency: 1 });
      await a.add('marathon', {}, { id: 'marathon-1' });
      await eventually(() => runs.length === 1);
      await settled(a, leaseMs * 4 + 5_000);
      await sleep(leaseMs);
      expect(runs).to.have.length(1);
    });
  });

  describe('close', function () {
    this.timeout(20_000);

    it('waits for a running job to finish before resolving, and takes no new jobs meanwhile', async () => {
      const worker = await h.open();
      let finished = false;
      const { runs, handler } = recorder(async () => {
        await sleep(700);
        finished = true;
      });
      worker.work({ long: handler }, { concurrency: 2 });
      await worker.add('long', {}, { id: 'long-1' });
      await eventually(() => runs.length === 1);
      const closing = worker.close(5_000);
      const other = await h.open();
      await other.add('long', {}, { id: 'long-2' });
      await closing;
      expect(finished, 'resolved before the running job finished').to.equal(true);
      await sleep(300);
      expect(runs.map((r) => r.job.id)).to.deep.equal(['long-1']);
      // long-1 completed (it is gone) and long-2 still waits for a worker.
      expect(await other.counts()).to.deep.equal({ waiting: 1, delayed: 0, active: 0, failed: 0 });
      const next = recorder();
      other.work({ long: next.handler }, { concurrency: 1 });
      await eventually(() => next.runs.length === 1);
      expect(next.runs[0]!.job.id).to.equal('long-2');
    });

    it('resolves after drainMs when a job outlasts it, and the job is not lost', async () => {
      const leaseMs = 1_000;
      const worker = await h.open({ leaseMs });
      const first = recorder(() => sleep(2_500));
      worker.work({ slowest: first.handler }, { concurrency: 1 });
      await worker.add('slowest', {}, { id: 'slowest-1' });
      await eventually(() => first.runs.length === 1);
      const started = Date.now();
      await worker.close(300);
      expect(Date.now() - started).to.be.below(300 + 1_500);
      // Either the closed instance still records its outcome or its lease lapses and another instance runs it again.
      const other = await h.open({ leaseMs });
      const second = recorder();
      other.work({ slowest: second.handler }, { concurrency: 1 });
      await settled(other, 10_000);
      expect(first.runs.length + second.runs.length).to.be.at.least(1);
    });
  });

  describe('counts', function () {
    this.timeout(20_000);

    it('reports waiting, delayed, active and failed jobs', async () => {
      const producer = await h.open();
      expect(await producer.counts()).to.deep.equal({ waiting: 0, delayed: 0, active: 0, failed: 0 });
      await producer.add('work', {}, { id: 'c-later-1', runAt: Date.now() + 60_000 });
      await producer.add('work', {}, { id: 'c-later-2', runAt: Date.now() + 60_000 });
      await producer.add('hang', {}, { id: 'c-hang' });
      await producer.add('bad', {}, { id: 'c-bad' });
      expect(await producer.counts()).to.deep.equal({ waiting: 2, delayed: 2, active: 0, failed: 0 });

      const worker = await h.open();
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      worker.work(
        {
          hang: () => gate,
          bad: () => {
            throw new PermanentJobError('bad');
          },
        },
        { concurrency: 2 },
      );
      await eventually(async () => {
        const c = await producer.counts();
        return c.active === 1 && c.failed === 1;
      });
      expect(await producer.counts()).to.deep.equal({ waiting: 0, delayed: 2, active: 1, failed: 1 });
      release();
      await eventually(async () => (await producer.counts()).active === 0);
      expect(await producer.counts()).to.deep.equal({ waiting: 0, delayed: 2, active: 0, failed: 1 });
    });

    it('answers ping while it can take jobs', async () => {
      const queue = await h.open();
      await queue.ping();
    });
  });
});
