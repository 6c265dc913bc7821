// One socket's subscription to one project's feed. The store's feed is the
// truth; the bus only says "there is more" (and hands over the change so the
// common case needs no read). Every delivery runs on one promise chain, and a
// change is emitted only when its seq is exactly lastSent + 1, so replay and
// live changes meet without a gap or a duplicate whatever order they arrive in.

import type { Change } from '../domain/entities.js';
import type { Subject } from '../domain/policies.js';
import type { RoomVisibility } from '../services/visibility.js';
import type { View } from './encoding.js';
import type { FeedReader } from './feed-reader.js';

export interface SubscriptionHooks {
  /** Sends `change` as `view` sees it (the full change or its redacted stub). */
  send(change: Change, view: View): void;
  /** Loads what the subject may see now (called again after changes to rooms or memberships). */
  visibility(subject: Subject, projectId: string): Promise<RoomVisibility>;
  /** The subject's current role, or null when it left the project. */
  role(subject: Subject, projectId: string): Promise<Subject['role']>;
  /** The subscription ended from the server side (the user was removed, the project deleted). */
  ended(projectId: string, reason: string): void;
  failed(projectId: string, error: unknown): void;
  /** A change newer than the replay was emitted on this subscription's own chain. */
  live(change: Change): void;
  /** The replay reached the feed head as it was at subscribe time, after sending `changes`. */
  replayed(changes: number): void;
  /** Before sending `changes` read from the feed: null to go on now, or a promise to wait for a later loop turn. */
  pace?(changes: number): Promise<void> | null;
}

export class ProjectSubscription {
  readonly projectId: string;
  readonly subject: Subject;
  lastSent: number;
  private knownLatest: number;
  /** The feed head at subscribe time: changes up to it are the replay, later ones are live. */
  private readonly replayUntil: number;
  /** Changes of the replay sent so far; null once the replay is done. */
  private replaying: number | null = 0;
  private readonly early = new Map<number, Change>();
  private chain: Promise<void> = Promise.resolve();
  private draining = false;
  private closed = false;
  private visible: RoomVisibility | null = null;
  private readonly read: FeedReader;
  private readonly hooks: SubscriptionHooks;

  constructor(read: FeedReader, hooks: SubscriptionHooks, projectId: string, subject: Subject, since: number, latest: number) {
    this.read = read;
    this.hooks = hooks;
    this.projectId = projectId;
    this.subject = subject;
    this.lastSent = since;
    this.knownLatest = latest;
    this.replayUntil = latest;
    this.settleReplay();
  }

  /** Something new may exist up to `change.seq` (or `latest`); catch up in order. */
  wake(change?: Change, latest?: number): void {
    if (this.closed) return;
    if (change) {
      if (change.seq > this.lastSent) this.early.set(change.seq, change);
      this.knownLatest = Math.max(this.knownLatest, change.seq);
    }
    if (latest !== undefined) this.knownLatest = Math.max(this.knownLatest, latest);
    if (this.draining || this.lastSent >= this.knownLatest) return;
    this.draining = true;
    // A failed read must not break the chain for good: the hub's next tick wakes it again.
    this.chain = this.chain.then(() => this.drain()).catch((error: unknown) => this.hooks.failed(this.projectId, error));
  }

  /**
   * The fast path for a caught-up subscriber: when `change` is exactly its next one and changes nothing about
   * its access, the change counts as sent and the view this subscriber gets is returned, so the hub can send it
   * in one encoding to every subscriber with the same view. Otherwise null, and the change goes through wake().
   * `viewOf` lets the caller decide once per shared visibility (subscribers of one person share one).
   */
  takeInSync(change: Change, viewOf: (visible: RoomVisibility) => View = (visible) => (visible.canSeeChange(change) ? 'full' : 'redacted')): View | null {
    if (this.closed || this.draining || this.replaying !== null || !this.visible || change.seq !== this.lastSent + 1) return null;
    if (this.affectsAccess(change) || change.type === 'project.deleted') return null;
    this.lastSent = change.seq;
    this.knownLatest = Math.max(this.knownLatest, change.seq);
    return viewOf(this.visible);
  }

  close(): void {
    this.closed = true;
    this.early.clear();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private async drain(): Promise<void> {
    const startedAt = this.lastSent;
    try {
      this.visible ??= await this.hooks.visibility(this.subject, this.projectId);
      while (!this.closed && this.lastSent < this.knownLatest) {
        const before = this.lastSent;
        const next = this.early.get(this.lastSent + 1);
        const batch = next ? [next] : await this.read(this.projectId, this.lastSent);
        // Many subscriptions resume on one shared page at once: each takes its turn on the event loop.
        const turn = this.hooks.pace?.(batch.length);
        if (turn) await turn;
        for (const change of batch) {
          if (this.closed || change.seq !== this.lastSent + 1) break;
          await this.deliver(change);
        }
        // Nothing to read yet (or nothing that fits): the next bus message or tick wakes it again.
        if (this.lastSent === before) break;
      }
      for (const seq of this.early.keys()) if (seq <= this.lastSent) this.early.delete(seq);
    } finally {
      this.draining = false;
    }
    // Something may have arrived while the last page was being read; only worth another round if this one moved.
    if (!this.closed && this.lastSent > startedAt && this.lastSent < this.knownLatest) this.wake();
  }

  private async deliver(change: Change): Promise<void> {
    const affectsMe = this.affectsAccess(change);
    if (affectsMe) {
      this.subject.role = await this.hooks.role(this.subject, this.projectId);
      this.visible = await this.hooks.visibility(this.subject, this.projectId);
    }
    this.hooks.send(change, this.visible!.canSeeChange(change) ? 'full' : 'redacted');
    this.lastSent = change.seq;
    if (this.replaying === null) this.hooks.live(change);
    else {
      this.replaying += 1;
      this.settleReplay();
    }
    if (change.type === 'project.deleted') this.end('project_deleted');
    else if (affectsMe && this.subject.role === null) this.end('removed');
  }

  private settleReplay(): void {
    if (this.replaying === null || this.lastSent < this.replayUntil) return;
    this.hooks.replayed(this.replaying);
    this.replaying = null;
  }

  private affectsAccess(change: Change): boolean {
    if (change.type.startsWith('room.')) return true;
    return change.type.startsWith('member.') && change.data['userId'] === this.subject.userId && this.subject.userId !== null;
  }

  private end(reason: string): void {
    this.close();
    this.hooks.ended(this.projectId, reason);
  }
}
