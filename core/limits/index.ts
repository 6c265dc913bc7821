// Picks where attempt counters live: Redis when REDIS_URL is set (shared by the nodes), else this process.

import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { createMemoryLimiters } from './memory.js';
import type { Limiters } from './ports.js';
import { createRedisLimiters } from './redis.js';

export async function openLimiters(config: Pick<Config, 'redisUrl'>, logger: Pick<Logger, 'warn'>): Promise<Limiters> {
  return config.redisUrl ? createRedisLimiters(config.redisUrl, logger) : createMemoryLimiters();
}
