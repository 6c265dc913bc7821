import { expect } from 'chai';
import mongoose from 'mongoose';
import { startMongo } from './mongo.js';
import {
  freePort,
  getMongo,
  getRedis,
  pingRedis,
  requireService,
  useService,
  type MongoServer,
  type RedisServer,
  type ServiceSpec,
} from './services.js';

describe('test services', function () {
  describe('redis', function () {
    let redis: RedisServer;

    before(async function () {
      redis = await useService(this, 'redis', 'the service harness tests');
    });

    it('answers PING at its url', async function () {
      expect(redis.url).to.equal(`redis://127.0.0.1:${redis.port}`);
      expect(await pingRedis(redis.port)).to.equal(true);
    });

    it('is one server per process', async function () {
      expect(await getRedis()).to.equal(redis);
    });

    it('comes back on the same port after being killed', async function () {
      redis.kill();
      expect(await eventually(async () => !(await pingRedis(redis.port)))).to.equal(true);
      await redis.restart();
      expect(await pingRedis(redis.port)).to.equal(true);
    });
  });

  describe('mongo', function () {
    let mongo: MongoServer;

    before(async function () {
      mongo = await useService(this, 'mongo', 'the service harness tests');
    });

    it('answers a MongoDB ping through mongoose', async function () {
      const conn = await mongoose.createConnection(mongo.uri('services_test')).asPromise();
      try {
        if (!conn.db) throw new Error('connection has no db');
        expect((await conn.db.admin().ping()).ok).to.equal(1);
      } finally {
        await conn.close();
      }
    });

    it('is one server per process', async function () {
      expect(await getMongo()).to.equal(mongo);
    });
  });

  describe('MONGODB_URI', function () {
    const saved = process.env.MONGODB_URI;
    afterEach(function () {
      if (saved === undefined) delete process.env.MONGODB_URI;
      else process.env.MONGODB_URI = saved;
    });

    it('is used as is, with the database name swapped in and options kept', async function () {
      process.env.MONGODB_URI = 'mongodb://u:p@a:1,b:2/admin?replicaSet=rs0';
      const server = await startMongo();
      expect(server?.uri('tw_test')).to.equal('mongodb://u:p@a:1,b:2/tw_test?replicaSet=rs0');
    });
  });

  describe('a missing binary', function () {
    const saved = process.env.CI;
    afterEach(function () {
      if (saved === undefined) delete process.env.CI;
      else process.env.CI = saved;
    });

    const absent: ServiceSpec<never> = {
      binary: 'no-such-server',
      install: 'apt-get install no-such-server',
      startTimeoutMs: 1_000,
      start: () => Promise.resolve(null),
    };

    it('fails the suite in CI, naming the binary and its install', async function () {
      process.env.CI = 'true';
      const error = await requireService(fakeContext(), absent, 'this suite').catch((err: unknown) => err);
      expect(error).to.be.instanceOf(Error);
      expect((error as Error).message).to.include('no-such-server is not on PATH').and.include('apt-get install no-such-server');
    });

    it('skips the suite elsewhere', async function () {
      delete process.env.CI;
      const error = await requireService(fakeContext(), absent, 'this suite').catch((err: unknown) => err);
      expect(error).to.equal(SKIPPED);
    });

    it('gives a slow first start a longer hook timeout', async function () {
      const ctx = fakeContext();
      await requireService(ctx, { ...absent, startTimeoutMs: 90_000, start: () => Promise.resolve(1) }, 'this suite');
      expect(ctx.timeout()).to.equal(90_000);
    });
  });

  it('freePort() gives a bindable loopback port', async function () {
    const port = await freePort();
    expect(port).to.be.greaterThan(0);
  });
});

const SKIPPED = new Error('skipped');

function fakeContext(): Mocha.Context {
  let timeout = 2_000;
  const ctx = {
    timeout(ms?: number) {
      if (ms === undefined) return timeout;
      timeout = ms;
      return ctx;
    },
    skip() {
      throw SKIPPED;
    },
  };
  return ctx as unknown as Mocha.Context;
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}
