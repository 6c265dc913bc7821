// When a feed sender that is failing (a linked channel's, a webhook's, a plugin's) may be woken
// out of turn, by a new change or by its reconciler. The rule is written once
// here because getting it wrong in either direction is costly: a nudge while the
// sender's own retry waits out its backoff retries the failing target at once,
// at the pace of the project's changes or the reconciler's minute, and starts
// another retry chain besides; no nudge at all leaves a sender whose retry was
// lost (the queue's data lost, a job given up) stuck behind its failure.

import type { Backoff } from './queue.js';

/** A feed sender's retries and its reconciliation period (tests shorten them). */
export interface SenderTuning {
  retry?: { attempts: number; backoff: Backoff };
  reconcileEveryMs?: number;
}

/** The longest wait between two of a sender's retries; without a cap the waits keep doubling. */
export function longestBackoffMs(backoff: Backoff): number {
  return backoff.maxDelayMs ?? Number.POSITIVE_INFINITY;
}

/**
 * Whether a sender may be woken now. `lastFailureAt` is when its latest attempt failed, null while it is not
 * failing. A failing sender is woken only once its latest failure is older than the longest backoff, which
 * its own retry would have run within.
 */
export function mayNudge(lastFailureAt: string | null, nowMs: number, backoff: Backoff): boolean {
  return lastFailureAt === null || nowMs - Date.parse(lastFailureAt) >= longestBackoffMs(backoff);
}
