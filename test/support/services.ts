// How suites get the servers they share (one Redis, one MongoDB-compatible
// server per test process, stopped by the root hook in hooks.ts). A missing
// binary makes a suite pending on a developer's machine but fails it in CI,
// where every suite has to run.

import { getMongo, stopSharedMongo, type MongoServer } from './mongo.js';
import { getRedis, stopSharedRedis, type RedisServer } from './redis.js';

export { getMongo, type MongoServer } from './mongo.js';
export { freePort, getRedis, pingRedis, type RedisServer } from './redis.js';

export interface ServiceSpec<T> {
  /** The executable whose absence makes `start` resolve to null. */
  binary: string;
  /** How to get `binary`, for the pending or failure message. */
  install: string;
  /** Hook timeout while starting: a first FerretDB start includes a Go build. */
  startTimeoutMs: number;
  start(): Promise<T | null>;
}

interface Services {
  redis: RedisServer;
  mongo: MongoServer;
}

const SERVICES: { [K in keyof Services]: ServiceSpec<Services[K]> } = {
  redis: {
    binary: 'redis-server',
    install: 'apt-get install redis-server',
    startTimeoutMs: 30_000,
    start: getRedis,
  },
  mongo: {
    binary: 'go',
    install: 'install Go to build the FerretDB in test/support/ferretdb, or set MONGODB_URI',
    startTimeoutMs: 10 * 60_000,
    start: getMongo,
  },
};

/**
 * The shared server, from a `before` hook: `redis = await useService(this, 'redis', 'the Redis bus')`.
 * `reason` says which suite needs it, for the pending or failure message.
 */
export function useService<K extends keyof Services>(ctx: Mocha.Context, what: K, reason: string): Promise<Services[K]> {
  return requireService(ctx, SERVICES[what], reason);
}

/** Starts `spec`, allowing its start time as the hook's timeout; see serviceMissing(). */
export async function requireService<T>(ctx: Mocha.Context, spec: ServiceSpec<T>, reason: string): Promise<T> {
  const timeout = ctx.timeout();
  if (timeout !== 0 && timeout < spec.startTimeoutMs) ctx.timeout(spec.startTimeoutMs);
  const server = await spec.start();
  return server ?? serviceMissing(ctx, `${spec.binary} is not on PATH (${spec.install})`, reason);
}

/**
 * Fails the suite in CI (CI=true), where a skipped suite would hide a broken
 * .ci/run; elsewhere marks it (or the test) pending, saying why.
 */
export function serviceMissing(ctx: Mocha.Context, missing: string, reason: string): never {
  if (process.env.CI === 'true') {
    throw new Error(`${reason} needs ${missing}. CI runs every suite, so .ci/run must install it.`);
  }
  console.log(`    pending: ${reason} needs ${missing}`);
  return ctx.skip();
}

export async function stopServices(): Promise<void> {
  await Promise.all([stopSharedRedis(), stopSharedMongo()]);
}
