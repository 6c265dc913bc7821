// The services some scenarios need beside Taskwire, started once per bench run
// and only when asked for: the FerretDB test server (test/support/mongo.ts, the
// MongoDB-compatible server the suites use) and a redis-server on a free port
// (test/support/redis.ts). Each answers the service, or why it is missing, so
// a scenario can be marked skipped with its reason.

import { randomUUID } from 'node:crypto';
import { startFerretDB, type MongoServer } from '../../support/mongo.js';
import { startRedis, type RedisServer } from '../../support/redis.js';

export type Backing<T> = { ok: true; server: T } | { ok: false; reason: string };

let ferret: Promise<Backing<MongoServer>> | null = null;
let redis: Promise<Backing<RedisServer>> | null = null;

const why = (error: unknown): string => (error instanceof Error ? error.message.split('\n')[0]! : String(error));

/** The FerretDB test server (built from test/support/ferretdb with `go` on first use). */
export function benchFerretDB(): Promise<Backing<MongoServer>> {
  return (ferret ??= startFerretDB().then(
    (server): Backing<MongoServer> => (server ? { ok: true, server } : { ok: false, reason: 'no FerretDB: `go` is not installed to build test/support/ferretdb' }),
    (error: unknown): Backing<MongoServer> => ({ ok: false, reason: `FerretDB did not start: ${why(error)}` }),
  ));
}

export function benchRedis(): Promise<Backing<RedisServer>> {
  return (redis ??= startRedis().then(
    (server): Backing<RedisServer> => (server ? { ok: true, server } : { ok: false, reason: 'no redis-server on PATH' }),
    (error: unknown): Backing<RedisServer> => ({ ok: false, reason: `redis-server did not start: ${why(error)}` }),
  ));
}

/** A fresh database name on the bench's FerretDB. */
export const benchDatabase = (label: string): string => `tw_bench_${label}_${randomUUID().slice(0, 8)}`;

/** Stops whatever was started. */
export async function stopBacking(): Promise<void> {
  const started = await Promise.all([ferret, redis]);
  ferret = null;
  redis = null;
  await Promise.all(started.map((b) => (b?.ok ? b.server.stop().catch(() => {}) : undefined)));
}
