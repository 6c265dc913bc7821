// The local copy of one project: tasks, members, rooms, loaded message
// histories and presence. Changes from the feed are applied idempotently (a
// replay may repeat what a snapshot already holds): tasks never go back to an
// older version and a tombstone never comes back to life.

import type { Change, MemberView, MessageView, PresenceState, ProjectView, Role, RoomView, TaskView } from './types.js';

export interface RoomHistory {
  /** Oldest first. */
  items: MessageView[];
  /** Cursor for the next older page; null when the start of the room is loaded. */
  nextCursor: string | null;
  loaded: boolean;
  loading: boolean;
}

/** What a change touched, for the elements' animations. */
export interface Touched {
  kind: 'task' | 'message' | 'room' | 'member' | 'project' | 'plugin' | 'none';
  id: string | null;
}

/** Byte-wise order of fractional keys, ties broken by id, as the server sorts. */
export function byPosition(a: TaskView, b: TaskView): number {
  if (a.position !== b.position) return a.position < b.position ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * A string sorting strictly between `after` and `before` (null: open end), for the optimistic
 * order only: the server computes the real fractional key.
 */
export function localKey(after: string | null, before: string | null): string {
  const a = after ?? '';
  let b = before;
  if (b !== null && a >= b) return a;
  let out = '';
  for (let i = 0; ; i++) {
    const ca = i < a.length ? a.charCodeAt(i) : 0;
    const cb = b !== null && i < b.length ? b.charCodeAt(i) : 0x10000;
    const mid = (ca + cb) >> 1;
    if (ca !== cb && mid > ca) return out + String.fromCharCode(mid);
    out += String.fromCharCode(ca);
    // Once below b's character, anything after this prefix stays below b.
    if (ca !== cb) b = null;
  }
}

function byCreated(a: MessageView, b: MessageView): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export class LiveStore {
  project: ProjectView | null = null;
  role: Role | null = null;
  readonly tasks = new Map<string, TaskView>();
  readonly members = new Map<string, MemberView>();
  readonly rooms = new Map<string, RoomView>();
  readonly histories = new Map<string, RoomHistory>();
  readonly presence = new Map<string, PresenceState>();
  /** Names seen on messages, for authors who are not (or no longer) members. */
  readonly names = new Map<string, string>();

  reset(snapshot: { project: ProjectView; tasks: TaskView[]; members: MemberView[]; rooms: RoomView[]; presence: { userId: string; state: PresenceState }[] }): void {
    this.project = snapshot.project;
    this.role = snapshot.project.role;
    this.tasks.clear();
    snapshot.tasks.forEach((t) => this.tasks.set(t.id, t));
    this.members.clear();
    snapshot.members.forEach((m) => this.members.set(m.userId, m));
    this.rooms.clear();
    snapshot.rooms.forEach((r) => this.rooms.set(r.id, r));
    this.presence.clear();
    snapshot.presence.forEach((p) => this.presence.set(p.userId, p.state));
    // Histories may have missed changes while nobody replayed them: they reload when next shown.
    this.histories.clear();
  }

  /** Tasks of one column, in board order. */
  column(status: string): TaskView[] {
    return [...this.tasks.values()].filter((t) => t.status === status).sort(byPosition);
  }

  upsertTask(task: TaskView): boolean {
    const current = this.tasks.get(task.id);
    if (current && current.version > task.version) return false;
    this.tasks.set(task.id, task);
    return true;
  }

  upsertMessage(message: MessageView): void {
    if (message.authorName) this.names.set(message.authorId, message.authorName);
    const history = this.histories.get(message.roomId);
    // Never opened: the room's first load will include it. Loading: keep it, the page merges in
    // (the page may have been read before this message was committed).
    if (!history || (!history.loaded && !history.loading)) return;
    const index = history.items.findIndex((m) => m.id === message.id);
    if (index >= 0) {
      const current = history.items[index]!;
      // A tombstone stays one; an older edit does not overwrite a newer one.
      if (current.deletedAt && !message.deletedAt) return;
      if (!message.deletedAt && current.editedAt && message.editedAt && current.editedAt > message.editedAt) return;
      history.items[index] = message;
      return;
    }
    const oldest = history.items[0];
    // Older than the loaded window: it will come with "load older".
    if (oldest && history.nextCursor && byCreated(message, oldest) < 0) return;
    history.items.push(message);
    history.items.sort(byCreated);
  }

  /** Adds a page of older messages (the API lists newest first). */
  addHistoryPage(roomId: string, page: { items: MessageView[]; nextCursor: string | null }, older: boolean): void {
    const history = this.histories.get(roomId) ?? { items: [], nextCursor: null, loaded: false, loading: false };
    const known = new Map(history.items.map((m) => [m.id, m]));
    for (const m of page.items) {
      if (m.authorName) this.names.set(m.authorId, m.authorName);
      if (!known.has(m.id)) known.set(m.id, m);
    }
    history.items = [...known.values()].sort(byCreated);
    if (older || !history.loaded) history.nextCursor = page.nextCursor;
    history.loaded = true;
    history.loading = false;
    this.histories.set(roomId, history);
  }

  apply(change: Change): Touched {
    if (change.type === 'redacted' || !('data' in change)) return { kind: 'none', id: null };
    const data = change.data as Record<string, unknown>;
    const id = typeof data.id === 'string' ? data.id : null;
    switch (change.type) {
      case 'project.updated':
        if (this.project) this.project = { ...this.project, ...(data as Partial<ProjectView>), role: this.project.role };
        return { kind: 'project', id };
      case 'task.created':
      case 'task.updated':
      case 'task.moved':
        return this.upsertTask(data as unknown as TaskView) ? { kind: 'task', id } : { kind: 'none', id: null };
      case 'task.deleted':
        if (id) this.tasks.delete(id);
        return { kind: 'task', id };
      case 'room.created':
      case 'room.updated':
        this.rooms.set(id!, data as unknown as RoomView);
        return { kind: 'room', id };
      case 'room.deleted':
        if (id) {
          this.rooms.delete(id);
          this.histories.delete(id);
        }
        return { kind: 'room', id };
      case 'message.created':
      case 'message.updated':
      case 'message.deleted':
        this.upsertMessage(data as unknown as MessageView);
        return { kind: 'message', id };
      case 'member.added':
      case 'member.updated': {
        const member = data as unknown as MemberView;
        this.members.set(member.userId, member);
        this.names.set(member.userId, member.name);
        return { kind: 'member', id: member.userId };
      }
      case 'member.removed': {
        const userId = String(data.userId ?? '');
        this.members.delete(userId);
        this.presence.delete(userId);
        return { kind: 'member', id: userId };
      }
      case 'plugin.updated':
        // Nothing of it is kept here: the board reads the project's plugins again.
        return { kind: 'plugin', id: typeof data.name === 'string' ? data.name : null };
      default:
        return { kind: 'none', id: null };
    }
  }

  nameOf(userId: string | null | undefined): string {
    if (!userId) return 'Someone';
    return this.members.get(userId)?.name ?? this.names.get(userId) ?? 'Former member';
  }
}
