// Presence across nodes in Redis: one hash per user, one field per node. Each
// report carries the time it was made; nodes re-report on a heartbeat, so the
// fields of a node that died (SIGKILL, no goodbye) go stale and stop counting.

import { Redis } from 'ioredis';
import type { PresenceReport } from '../domain/presence.js';
import type { Logger } from '../logger.js';
import type { PresenceStore } from './ports.js';

const key = (userId: string) => `taskwire:presence:${userId}`;

interface Stored extends PresenceReport {
  reportedAt: number;
}

export async function createRedisPresenceStore(url: string, staleAfterMs: number, logger: Pick<Logger, 'warn'>): Promise<PresenceStore> {
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: (n: number) => Math.min(100 * n, 2000) });
  let reported = false;
  redis.on('error', (error: Error) => {
    if (!reported) logger.warn({ err: error }, 'Redis presence store unreachable; presence is local to this node until it returns');
    reported = true;
  });
  redis.on('ready', () => (reported = false));
  await redis.connect();
  const ttlSeconds = Math.max(1, Math.ceil((staleAfterMs * 4) / 1000));

  return {
    kind: 'redis',
    async report(nodeId, userId, report) {
      const stored: Stored = { ...report, reportedAt: Date.now() };
      await redis.multi().hset(key(userId), nodeId, JSON.stringify(stored)).expire(key(userId), ttlSeconds).exec();
    },
    async read(userIds) {
      const result = new Map<string, PresenceReport[]>();
      if (userIds.length === 0) return result;
      const pipeline = redis.pipeline();
      userIds.forEach((id) => pipeline.hgetall(key(id)));
      const replies = (await pipeline.exec()) ?? [];
      const now = Date.now();
      userIds.forEach((id, i) => {
        const fields = (replies[i]?.[1] ?? {}) as Record<string, string>;
        const fresh = Object.values(fields)
          .map((raw) => JSON.parse(raw) as Stored)
          .filter((r) => now - r.reportedAt < staleAfterMs)
          .map(({ connections, lastActivityAt, disconnectedAt }) => ({ connections, lastActivityAt, disconnectedAt }));
        result.set(id, fresh);
      });
      return result;
    },
    close: async () => {
      redis.disconnect();
    },
  };
}
