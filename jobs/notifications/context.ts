// What every notification job shares: the services' deps, the queue, the
// channels configured on this instance, and the timings (shortened by tests).

import type { ServiceDeps } from '../../core/services/deps.js';
import type { Backoff, Queue } from '../queue.js';
import type { Channel, OutsideChannel } from './channels.js';

export interface NotifyTimings {
  /** How often the reconciler re-derives every pending job from the store. */
  reconcileEveryMs: number;
  /** Notices and reminders missed by longer than this (a long outage, an old import) are not sent late. */
  catchUpMs: number;
  /** Tries of one delivery and the wait between them: enough to outlast an outage of hours. */
  deliveryRetry: { attempts: number; backoff: Backoff };
}

export const DEFAULT_NOTIFY_TIMINGS: NotifyTimings = {
  reconcileEveryMs: 5 * 60_000,
  catchUpMs: 24 * 3_600_000,
  // About 9 h of retries, 2 h apart at most.
  deliveryRetry: { attempts: 10, backoff: { delayMs: 15_000, maxDelayMs: 2 * 3_600_000 } },
};

export interface NotifyContext {
  deps: ServiceDeps;
  queue: Queue;
  channels: ReadonlyMap<OutsideChannel, Channel>;
  publicUrl: string;
  timings: NotifyTimings;
}

/** Job names, one handler each (notifier.ts). */
export const JOB = {
  feed: 'notify.feed',
  reminder: 'notify.reminder',
  deliver: 'notify.deliver',
  digest: 'notify.digest',
  prefs: 'notify.prefs',
  reconcile: 'notify.reconcile',
} as const;
