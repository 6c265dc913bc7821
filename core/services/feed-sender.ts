// A durable, ordered sender over a project's change feed, for everything that
// pushes changes out one target at a time (a linked chat channel, a webhook).
// Each target has a cursor record; one sender at a time holds it (a lock taken
// by compare-and-set on that record) and applies the changes after the cursor
// in feed order, moving the cursor past each one it applied. A change that
// fails stops the run where it is, so later changes wait behind it: order is
// kept and nothing is skipped. A run checks the feed again after releasing the
// lock, so a change that arrived while another sender held it is not left behind.

import { randomUUID } from 'node:crypto';
import type { Change, LinkCursor } from '../domain/entities.js';
import { StoreConflictError, StoreNotFoundError } from '../store/errors.js';
import { commit, type ServiceDeps } from './deps.js';

const LOCK_MS = 60_000;
const BATCH = 100;

export interface FeedTarget {
  /** The cursor record's id (the link's or webhook's id). */
  cursorId: string;
  projectId: string;
  /** Sends one change; throws to stop here (the change is tried again on the next run). */
  apply(change: Change): Promise<void>;
  /** How long to wait before trying the same change again in this run (a rate limit), or null to stop the run. */
  waitBeforeRetry?(error: unknown): number | null;
  /** How long the sender's lock lasts without renewal (default 60 s): a crashed sender holds back the target that long. */
  lockMs?: number;
}

export interface DrainResult {
  seq: number;
  ran: boolean;
  /** Set when another sender held the lock and changes were left: when that lock runs out (ISO time). */
  busyUntil?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class Run {
  private readonly owner = randomUUID();

  constructor(
    private readonly deps: ServiceDeps,
    private cursor: LinkCursor,
    private readonly lockMs: number = LOCK_MS,
  ) {}

  get seq(): number {
    return this.cursor.seq;
  }

  async lock(): Promise<boolean> {
    const now = this.deps.now().getTime();
    if (this.cursor.lockedBy && this.cursor.lockedUntil && Date.parse(this.cursor.lockedUntil) > now) return false;
    return this.save({ lockedBy: this.owner, lockedUntil: new Date(now + this.lockMs).toISOString() });
  }

  /**
   * Lets go of the lock, noting whether the run stopped at a change that failed (jobs/nudge.ts reads it). A run that
   * ended without an error is not failing, even when it had nothing left to send.
   */
  release(failed: boolean): Promise<boolean> {
    return this.save({ lockedBy: null, lockedUntil: null, failedAt: failed ? this.deps.now().toISOString() : null });
  }

  /** Moves past `seq` and renews the lock; false when the lock was lost. */
  advance(seq: number): Promise<boolean> {
    return this.save({ seq, lockedUntil: this.lockEnd(), failedAt: null });
  }

  /** Keeps the lock through a wait (a rate limit), changing nothing else. */
  renew(): Promise<boolean> {
    return this.save({ lockedUntil: this.lockEnd() });
  }

  private lockEnd(): string {
    return new Date(this.deps.now().getTime() + this.lockMs).toISOString();
  }

  private async save(patch: Partial<LinkCursor>): Promise<boolean> {
    const next: LinkCursor = { ...this.cursor, ...patch, updatedAt: this.deps.now().toISOString() };
    try {
      await commit(this.deps, { projectId: null }, (uow) =>
        uow.replace('linkCursors', next, { lockedBy: this.cursor.lockedBy, lockedUntil: this.cursor.lockedUntil, seq: this.cursor.seq }),
      );
      this.cursor = next;
      return true;
    } catch (error) {
      if (error instanceof StoreConflictError || error instanceof StoreNotFoundError) return false;
      throw error;
    }
  }

  async drain(target: FeedTarget): Promise<void> {
    for (;;) {
      const changes = await this.deps.store.changes.list(target.projectId, this.cursor.seq, BATCH);
      if (changes.length === 0) return;
      for (const change of changes) {
        await this.applyPatiently(target, change);
        if (!(await this.advance(change.seq))) throw new Error(`lost the sender lock of ${target.cursorId}`);
      }
    }
  }

  private async applyPatiently(target: FeedTarget, change: Change): Promise<void> {
    for (;;) {
      try {
        await target.apply(change);
        return;
      } catch (error) {
        const wait = target.waitBeforeRetry?.(error) ?? null;
        if (wait === null) throw error;
        await sleep(wait);
        await this.renew();
      }
    }
  }
}

/** Sends what the target is missing; a run that finds another sender at work leaves it to them. */
export async function drainFeed(deps: ServiceDeps, target: FeedTarget): Promise<DrainResult> {
  let ran = false;
  for (;;) {
    const cursor = await deps.store.linkCursors.get(target.cursorId);
    if (!cursor) return { seq: 0, ran };
    const run = new Run(deps, cursor, target.lockMs);
    if (!(await run.lock())) {
      const behind = (await deps.store.changes.lastSeq(target.projectId)) > cursor.seq;
      return { seq: cursor.seq, ran, ...(behind && cursor.lockedUntil ? { busyUntil: cursor.lockedUntil } : {}) };
    }
    ran = true;
    let failed = true;
    try {
      await run.drain(target);
      failed = false;
    } finally {
      await run.release(failed).catch((error: unknown) => deps.logger.warn({ err: error, cursorId: target.cursorId }, 'releasing a sender lock failed; it expires'));
    }
    if ((await deps.store.changes.lastSeq(target.projectId)) <= run.seq) return { seq: run.seq, ran };
  }
}
