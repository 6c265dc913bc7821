// The bridge core put together for the platforms this instance runs: the
// sender jobs (one per link, fed by the bus and by a reconciler), and the
// notification channel each platform offers (a direct message to a connected
// account). Platform adapters (adapters/slack, adapters/discord) hand inbound
// messages to core/services/bridged.ts and commands to ./commands.ts.

import type { ChatPlatform, LinkCursor } from '../../core/domain/entities.js';
import type { ServiceDeps } from '../../core/services/deps.js';
import type { JobHandler, Queue } from '../../jobs/queue.js';
import { isNudge, mayWake, NUDGE, type SenderTuning } from '../../jobs/nudge.js';
import type { Channel } from '../../jobs/notifications/channels.js';
import { ChannelError } from '../../jobs/notifications/channels.js';
import { countingErrors } from './counted.js';
import { flushLink } from './outbound.js';
import { PlatformError, type Platform } from './ports.js';

export const BRIDGE_JOB = { flush: 'bridge.flush', reconcile: 'bridge.reconcile' } as const;

const RECONCILE_EVERY_MS = 60_000;
/** Sender retries: quick at first (a blip), then up to ten minutes apart, for about a day. */
const FLUSH_RETRY = { attempts: 150, backoff: { delayMs: 2_000, maxDelayMs: 10 * 60_000 } };

export interface Bridge {
  readonly handlers: Readonly<Record<string, JobHandler>>;
  /** Notification channels (a DM to the connected account), one per platform. */
  readonly channels: Channel[];
  start(): Promise<void>;
  stop(): void;
}

export function createBridge(deps: ServiceDeps, queue: Queue, given: readonly Platform[], tuning: SenderTuning = {}): Bridge {
  const retry = tuning.retry ?? FLUSH_RETRY;
  const reconcileEvery = tuning.reconcileEveryMs ?? RECONCILE_EVERY_MS;
  const platforms = given.map((platform) => countingErrors(platform, deps.metrics));
  const byName = new Map<ChatPlatform, Platform>(platforms.map((p) => [p.name, p]));
  const unsubscribe: (() => void)[] = [];

  /** `wake` names the reason: a change's seq, or the reconciler's nudge (which must not collide with a job waiting out a backoff). */
  async function queueFlush(linkId: string, wake: number | string): Promise<void> {
    await queue
      .add(BRIDGE_JOB.flush, { linkId, ...NUDGE }, { id: `bridge.flush.${linkId}.${wake}`, ...retry })
      .catch((error: unknown) => deps.logger.warn({ err: error, linkId }, 'queueing a bridge send failed; the reconciler will'));
  }

  /**
   * Whether a link's sender may be woken now (jobs/nudge.ts): during a platform outage a failing sender waits out
   * its backoff, rather than being retried at every message and every reconciliation.
   */
  const mayWakeSender = (linkId: string, cursor?: LinkCursor | null): Promise<boolean> => mayWake(deps, linkId, retry.backoff, cursor);

  async function reconcile(): Promise<void> {
    let cursor: string | null = null;
    do {
      const page = await deps.store.links.list({ limit: 200, cursor });
      for (const link of page.items) {
        if (!byName.has(link.platform)) continue;
        const [done, lastSeq] = await Promise.all([deps.store.linkCursors.get(link.id), deps.store.changes.lastSeq(link.projectId)]);
        if (done && lastSeq > done.seq && (await mayWakeSender(link.id, done))) await queueFlush(link.id, `reconciled.${Date.now()}`);
      }
      cursor = page.nextCursor;
    } while (cursor);
  }

  const channels: Channel[] = platforms.map((platform) => ({
    name: platform.name,
    async unreachable(user) {
      const identities = await deps.store.identities.listByUser(user.id);
      return identities.some((i) => i.platform === platform.name) ? null : `no connected ${platform.name} account`;
    },
    async send({ user, notification }) {
      const identity = (await deps.store.identities.listByUser(user.id)).find((i) => i.platform === platform.name);
      if (!identity) throw new ChannelError(`no connected ${platform.name} account`, false);
      try {
        await platform.directMessage(identity.teamId, identity.externalUserId, notification.text);
      } catch (error) {
        if (error instanceof PlatformError) throw new ChannelError(error.message, error.transient);
        throw error;
      }
    },
  }));

  return {
    channels,
    handlers: {
      [BRIDGE_JOB.flush]: async (job) => {
        const link = await deps.store.links.get(job.data.linkId as string);
        const platform = link ? byName.get(link.platform) : undefined;
        if (!link || !platform) return;
        if (isNudge(job) && !(await mayWakeSender(link.id))) return;
        await flushLink(deps, platform, link.id);
      },
      [BRIDGE_JOB.reconcile]: async (job) => {
        await reconcile();
        const slot = Math.floor(Math.max(job.runAt, Date.now()) / reconcileEvery) + 1;
        await queue.add(BRIDGE_JOB.reconcile, {}, { id: `bridge.reconcile.${slot}`, runAt: slot * reconcileEvery, attempts: 3 });
      },
    },
    async start() {
      if (platforms.length === 0) return;
      unsubscribe.push(
        deps.bus.subscribe(async (change) => {
          if (!change.type.startsWith('message.')) return;
          const roomId = change.data.roomId;
          if (typeof roomId !== 'string') return;
          for (const link of await deps.store.links.listByRoom(roomId)) if (byName.has(link.platform) && (await mayWakeSender(link.id))) await queueFlush(link.id, change.seq);
        }),
      );
      await queue
        .add(BRIDGE_JOB.reconcile, {}, { id: `bridge.reconcile.boot.${Date.now()}`, attempts: 3 })
        .catch((error: unknown) => deps.logger.warn({ err: error }, 'queueing the bridge reconciliation failed'));
    },
    stop() {
      for (const off of unsubscribe.splice(0)) off();
    },
  };
}
