// The Bus contract, run against the in-process bus and the Redis bus.

import { expect } from 'chai';
import { createLocalBus } from '../../../core/bus/local.js';
import type { Bus, ControlEvent } from '../../../core/bus/ports.js';
import { createRedisBus } from '../../../core/bus/redis.js';
import type { Change } from '../../../core/domain/entities.js';
import { createLogger } from '../../../core/logger.js';
import { startRedis } from '../../support/redis.js';
import { useService } from '../../support/services.js';

const logger = createLogger('silent');

function change(seq: number, projectId = 'p1'): Change {
  return { projectId, seq, type: 'task.created', at: new Date().toISOString(), actorId: 'u', data: { seq }, audience: null };
}

async function eventually(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

interface Implementation {
  name: string;
  /** Two buses that stand for two nodes (the same bus twice for the local one). */
  open(ctx: Mocha.Context): Promise<{ a: Bus; b: Bus; crossNode: boolean }>;
}

const IMPLEMENTATIONS: Implementation[] = [
  {
    name: 'local',
    open: async () => {
      const bus = createLocalBus(logger);
      return { a: bus, b: bus, crossNode: false };
    },
  },
  {
    name: 'redis',
    open: async (ctx) => {
      const redis = await useService(ctx, 'redis', 'the Redis bus contract');
      return { a: await createRedisBus(redis.url, logger), b: await createRedisBus(redis.url, logger), crossNode: true };
    },
  },
];

for (const implementation of IMPLEMENTATIONS) {
  describe(`Bus contract [${implementation.name}]`, function () {
    let a: Bus;
    let b: Bus;
    beforeEach(async function () {
      ({ a, b } = await implementation.open(this));
    });
    afterEach(async () => {
      await a.close();
      await b.close();
    });

    it('delivers every published change to every subscriber on every node, in publish order, once', async () => {
      const onA: number[] = [];
      const onB: number[] = [];
      a.subscribe((c) => void onA.push(c.seq));
      b.subscribe((c) => void onB.push(c.seq));
      const seqs = Array.from({ length: 200 }, (_, i) => i + 1);
      await a.publish(seqs.slice(0, 100).map((s) => change(s)));
      await a.publish(seqs.slice(100).map((s) => change(s)));
      await eventually(() => onA.length >= 200 && onB.length >= 200);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(onA).to.deep.equal(seqs);
      expect(onB).to.deep.equal(seqs);
    });

    it('keeps delivering to the others when one subscriber throws, and stops after unsubscribe', async () => {
      const got: number[] = [];
      b.subscribe(() => {
        throw new Error('subscriber bug');
      });
      const stop = b.subscribe((c) => void got.push(c.seq));
      await a.publish([change(1)]);
      await eventually(() => got.length === 1);
      stop();
      await a.publish([change(2)]);
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(got).to.deep.equal([1]);
    });

    it('carries control events to every node', async () => {
      const got: ControlEvent[] = [];
      b.subscribeControl((e) => void got.push(e));
      await a.publishControl({ type: 'tokens.revoked', tokenIds: ['t1', 't2'] });
      await eventually(() => got.length === 1);
      expect(got[0]).to.deep.equal({ type: 'tokens.revoked', tokenIds: ['t1', 't2'] });
    });

    it('answers ping while open and refuses after close', async () => {
      await a.ping();
      await a.close();
      let failed = false;
      await a.ping().catch(() => (failed = true));
      expect(failed).to.equal(true);
    });
  });
}

describe('Redis bus during a Redis outage', function () {
  this.timeout(30_000);

  it('keeps serving its own node, never throws on publish, and reaches other nodes again after Redis returns', async function () {
    const redis = await startRedis();
    if (!redis) {
      await useService(this, 'redis', 'the Redis outage case');
      return;
    }
    const a = await createRedisBus(redis.url, logger);
    const b = await createRedisBus(redis.url, logger);
    try {
      const onA: number[] = [];
      const onB: number[] = [];
      a.subscribe((c) => void onA.push(c.seq));
      b.subscribe((c) => void onB.push(c.seq));
      redis.kill('SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 200));
      await a.publish([change(1)]);
      expect(onA).to.deep.equal([1]);
      let failedPing = false;
      await a.ping().catch(() => (failedPing = true));
      expect(failedPing).to.equal(true);
      await redis.restart();
      await eventually(() => {
        void a.publish([change(2)]);
        return onB.includes(2);
      }, 15_000);
      expect(onB).to.not.include(1);
    } finally {
      await a.close();
      await b.close();
      await redis.stop();
    }
  });
});
