// One node's counters, in its own memory: right for a single node.

import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Limiters } from './ports.js';

export function createMemoryLimiters(): Limiters {
  return {
    kind: 'memory',
    create: ({ keyPrefix, points, durationSeconds }) => new RateLimiterMemory({ keyPrefix, points, duration: durationSeconds }),
    close: async () => {},
  };
}
