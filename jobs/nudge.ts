// When a feed sender that is failing (a linked channel's, a webhook's, a plugin's) may be woken
// out of turn, by a new change or by its reconciler. The rule is written once
// here because getting it wrong in either direction is costly: a nudge while the
// sender's own retry waits out its backoff retries the failing target at once,
// at the pace of the project's changes or the reconciler's minute, and starts
// another retry chain besides; no nudge at all leaves a sender whose retry was
// lost (the queue's data lost, a job given up) stuck behind its failure.

import type { LinkCursor } from '../core/domain/entities.js';
import type { ServiceDeps } from '../core/services/deps.js';
import type { Backoff, Job } from './queue.js';

/** A sender's retries: the cap on the backoff is required, since the rule below is measured by it. */
export interface SenderRetry {
  attempts: number;
  backoff: Required<Backoff>;
}

/** A feed sender's retries and its reconciliation period (tests shorten them). */
export interface SenderTuning {
  retry?: SenderRetry;
  reconcileEveryMs?: number;
}

/**
 * Job data of a wake-up by a change or the reconciler. Such a job checks the rule again when it runs: it may
 * have been queued before the run that failed had noted its failure.
 */
export const NUDGE = { nudge: true } as const;

/** Whether `job` is a nudge on its first try (its own retries, and explicit kicks, always run). */
export const isNudge = (job: Job): boolean => job.data.nudge === true && job.attemptsMade === 0;

/**
 * Whether the sender with cursor `cursorId` may be woken now; `cursor` when the caller has read it already. Its
 * `failedAt` is when its latest run stopped at a failure, null while it is not failing (core/services/feed-sender.ts).
 * A failing sender is woken only once that is older than the longest backoff, which its own retry would have run
 * within. A cursor that cannot be read (a store outage) wakes the sender: the job then waits or fails on its own.
 */
export async function mayWake(deps: Pick<ServiceDeps, 'store' | 'now'>, cursorId: string, backoff: Required<Backoff>, cursor?: LinkCursor | null): Promise<boolean> {
  const done = cursor === undefined ? await deps.store.linkCursors.get(cursorId).catch(() => null) : cursor;
  const failedAt = done?.failedAt ?? null;
  return failedAt === null || deps.now().getTime() - Date.parse(failedAt) >= backoff.maxDelayMs;
}
