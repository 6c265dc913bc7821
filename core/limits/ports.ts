// The Limiters port: attempt counters (logins, registrations, incoming hooks)
// that every node of an instance shares, so N nodes do not allow N times the limit.

import type { RateLimiterAbstract } from 'rate-limiter-flexible';

export interface LimitSpec {
  /** Names the counter; nodes agree on a counter by agreeing on this prefix. */
  keyPrefix: string;
  points: number;
  durationSeconds: number;
}

export interface Limiters {
  readonly kind: 'memory' | 'redis';
  create(spec: LimitSpec): RateLimiterAbstract;
  close(): Promise<void>;
}
