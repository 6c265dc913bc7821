// Room → channel. The project's change feed is the ordered outbox: each link
// keeps a durable cursor into it and one sender at a time (a lock on the
// cursor) applies the room's message changes in feed order: post, update,
// delete. A failure stops that link's sender where it is, so later messages
// wait behind it (order kept, nothing skipped); a rate limit is waited out
// (Retry-After), other failures retry with backoff through the queue.

import { randomUUID } from 'node:crypto';
import type { Change, ChannelLink, LinkCursor, Message } from '../../core/domain/entities.js';
import { copyOf } from '../../core/services/bridged.js';
import { commit, type ServiceDeps } from '../../core/services/deps.js';
import { StoreConflictError, StoreDuplicateError, StoreNotFoundError } from '../../core/store/errors.js';
import type { Platform } from './ports.js';
import { PlatformError } from './ports.js';

const LOCK_MS = 60_000;
const BATCH = 100;
/** A Retry-After up to this long is waited out in the job; longer ones go back to the queue. */
const MAX_INLINE_WAIT_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface FlushResult {
  /** The seq the link's cursor reached. */
  seq: number;
  /** Whether this run held the lock (false: another sender is at work and will catch up). */
  ran: boolean;
}

class Sender {
  private cursor: LinkCursor;
  private readonly owner = randomUUID();

  constructor(
    private readonly deps: ServiceDeps,
    private readonly link: ChannelLink,
    private readonly platform: Platform,
    cursor: LinkCursor,
  ) {
    this.cursor = cursor;
  }

  /** Takes the lock with a compare-and-set on the cursor record; false when another sender holds it. */
  async lock(): Promise<boolean> {
    const now = this.deps.now().getTime();
    if (this.cursor.lockedBy && this.cursor.lockedUntil && Date.parse(this.cursor.lockedUntil) > now) return false;
    return this.save({ lockedBy: this.owner, lockedUntil: new Date(now + LOCK_MS).toISOString() });
  }

  async release(): Promise<void> {
    await this.save({ lockedBy: null, lockedUntil: null });
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

  /** Moves the cursor past `seq` (and renews the lock); false when the lock was lost, so this run must stop. */
  async advance(seq: number): Promise<boolean> {
    return this.save({ seq, lockedUntil: new Date(this.deps.now().getTime() + LOCK_MS).toISOString() });
  }

  get seq(): number {
    return this.cursor.seq;
  }

  async run(): Promise<void> {
    for (;;) {
      const changes = await this.deps.store.changes.list(this.link.projectId, this.cursor.seq, BATCH);
      if (changes.length === 0) return;
      for (const change of changes) {
        await this.applyWithRateLimits(change);
        if (!(await this.advance(change.seq))) throw new Error(`lost the sender lock of link ${this.link.id}`);
      }
    }
  }

  private async applyWithRateLimits(change: Change): Promise<void> {
    for (;;) {
      try {
        await this.apply(change);
        return;
      } catch (error) {
        if (!(error instanceof PlatformError) || error.retryAfterMs === null || error.retryAfterMs > MAX_INLINE_WAIT_MS) throw error;
        this.deps.logger.warn({ linkId: this.link.id, retryAfterMs: error.retryAfterMs }, 'the chat platform rate-limited us; waiting as it asked');
        await sleep(error.retryAfterMs);
        await this.advance(this.cursor.seq);
      }
    }
  }

  private async apply(change: Change): Promise<void> {
    if (!change.type.startsWith('message.') || change.data.roomId !== this.link.roomId) return;
    const messageId = change.data.id as string;
    const { store } = this.deps;
    const copy = await store.messageCopies.getForLink(this.link.id, messageId);
    const channel = { teamId: this.link.teamId, channelId: this.link.channelId };
    if (change.type === 'message.created') {
      // A copy exists: the message came from this very channel (no echo), or it was posted before a crash.
      if (copy) return;
      const message = await store.messages.get(messageId);
      if (!message || message.deletedAt) return;
      const externalId = await this.platform.post(channel, outgoing(message));
      try {
        await commit(this.deps, { projectId: null }, (uow) => uow.insert('messageCopies', copyOf(this.deps, this.link, message, externalId, 'outbound')));
      } catch (error) {
        if (!(error instanceof StoreDuplicateError)) throw error;
      }
      return;
    }
    // Only the bot's own copies can be edited or deleted by it; people's messages in the channel are theirs.
    if (!copy || copy.direction !== 'outbound') return;
    const message = await store.messages.get(messageId);
    if (change.type === 'message.updated' && message && !message.deletedAt) await this.platform.update(channel, copy.externalId, outgoing(message));
    if (change.type === 'message.deleted') await this.platform.remove(channel, copy.externalId);
  }
}

function outgoing(message: Message): { text: string; authorName: string } {
  return { text: message.text, authorName: message.authorName || 'Taskwire' };
}

/**
 * Sends what the link's channel is missing, in feed order. A run that finds
 * another sender at work leaves it to them: a sender checks the feed again
 * after releasing its lock, so a change that arrived while it held the lock is
 * never left behind.
 */
export async function flushLink(deps: ServiceDeps, platform: Platform, linkId: string): Promise<FlushResult> {
  const link = await deps.store.links.get(linkId);
  if (!link) return { seq: 0, ran: false };
  let ran = false;
  for (;;) {
    const cursor = await deps.store.linkCursors.get(link.id);
    if (!cursor) return { seq: 0, ran };
    const sender = new Sender(deps, link, platform, cursor);
    if (!(await sender.lock())) return { seq: cursor.seq, ran };
    ran = true;
    try {
      await sender.run();
    } finally {
      await sender.release().catch((error: unknown) => deps.logger.warn({ err: error, linkId }, 'releasing a link sender lock failed; it expires'));
    }
    if ((await deps.store.changes.lastSeq(link.projectId)) <= sender.seq) return { seq: sender.seq, ran };
  }
}
