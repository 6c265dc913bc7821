// What a subscriber may read, checked once per feed head: a reconnect storm is
// thousands of `subscribe`s by the same few people to the same projects within
// seconds. Everything access depends on (the project itself, memberships and
// roles, rooms and their members) changes only by a unit of work that also
// writes a change to that project's feed, so an answer computed when the feed
// head was `seq` is still the answer while the head is `seq`: the next change
// in the project makes everyone ask the store again. (Subscriptions already
// rely on this: they reload their view when such a change goes past them.)

import type { Actor } from '../domain/actor.js';
import type { Subject } from '../domain/policies.js';
import { projectAccess } from '../services/access.js';
import type { ServiceDeps } from '../services/deps.js';
import { roomVisibility, type RoomVisibility } from '../services/visibility.js';

const MAX_ENTRIES = 10_000;

interface Memo<T> {
  seq: number;
  value: Promise<T>;
}

/** A small map of answers per key, each valid only at the feed head it was computed at. */
class AtHead<T> {
  private entries = new Map<string, Memo<T>>();

  get(key: string, seq: number, compute: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.seq === seq) return hit.value;
    if (this.entries.size >= MAX_ENTRIES) this.entries = new Map();
    const entries = this.entries;
    const memo: Memo<T> = { seq, value: compute() };
    entries.set(key, memo);
    // Refusals and failures are not remembered: they are asked again (and a store error does not stick).
    memo.value.catch(() => {
      if (entries.get(key) === memo) entries.delete(key);
    });
    return memo.value;
  }
}

const actorKey = (actor: Actor): string =>
  actor.kind === 'user' ? `u\u0000${actor.userId}` : actor.kind === 'embed' ? `e\u0000${actor.embedTokenId}\u0000${actor.userId ?? ''}\u0000${actor.maxRole}` : `p\u0000${actor.plugin}`;

export class FeedAccess {
  private readonly services: ServiceDeps;
  private readonly readers = new AtHead<Subject>();
  private readonly views = new AtHead<RoomVisibility>();

  constructor(services: ServiceDeps) {
    this.services = services;
  }

  /**
   * The feed head and the subject `actor` is in `projectId` (a copy of its own: subscriptions update theirs),
   * or the error `projectAccess` throws for a reader that may not read the feed.
   */
  async reader(actor: Actor, projectId: string): Promise<{ subject: Subject; latest: number }> {
    const latest = await this.services.store.changes.lastSeq(projectId);
    const subject = await this.readers.get(`${actorKey(actor)}\u0000${projectId}`, latest, async () => (await projectAccess(this.services, actor, projectId, 'feed.read')).subject);
    return { subject: { ...subject }, latest };
  }

  /** What `subject` may see in `projectId` now; one shared object per (user, role, project) and feed head. */
  async visibility(subject: Subject, projectId: string): Promise<RoomVisibility> {
    const latest = await this.services.store.changes.lastSeq(projectId);
    const snapshot: Subject = { ...subject };
    return this.views.get(`${subject.userId ?? ''}\u0000${subject.role ?? ''}\u0000${projectId}`, latest, () => roomVisibility(this.services, snapshot, projectId));
  }
}
