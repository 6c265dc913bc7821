// Counters in Redis, shared by every node. Each limiter is insured by a
// memory limiter with the same limit: while Redis is down or slow, a node
// counts on its own (the limit is per node for that time) instead of refusing
// or hanging every login.

import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { Logger } from '../logger.js';
import type { Limiters } from './ports.js';

const PREFIX = 'taskwire:limit:';
/** A login waits at most this long for Redis before the insurance counts it. */
const COMMAND_TIMEOUT_MS = 500;

export async function createRedisLimiters(url: string, logger: Pick<Logger, 'warn'>): Promise<Limiters> {
  const redis = new Redis(url, {
    lazyConnect: true,
    // No queue: a command while disconnected fails at once and goes to the insurance limiter.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: COMMAND_TIMEOUT_MS,
    retryStrategy: (attempt: number) => Math.min(100 * attempt, 2000),
  });
  let reported = false;
  redis.on('error', (error: Error) => {
    if (!reported) logger.warn({ err: error }, 'Redis limit store unreachable; login and hook limits are per node until it returns');
    reported = true;
  });
  redis.on('ready', () => (reported = false));
  await redis.connect();

  return {
    kind: 'redis',
    create: ({ keyPrefix, points, durationSeconds }) =>
      new RateLimiterRedis({
        storeClient: redis,
        rejectIfRedisNotReady: true,
        keyPrefix: `${PREFIX}${keyPrefix}`,
        points,
        duration: durationSeconds,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: `insurance:${keyPrefix}`, points, duration: durationSeconds }),
      }),
    close: async () => {
      redis.disconnect();
    },
  };
}
