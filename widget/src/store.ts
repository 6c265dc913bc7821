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
  /** The column counts cannot follow this change by themselves (a card never loaded, or a filter): read them again. */
  recount?: boolean;
}

/** The board's server-side filter (GET …/tasks and …/columns take the same). */
export type BoardFilter = { q?: string; label?: string };

/**
 * One column as loaded so far: a run of its tasks from one end (Done from its
 * end, the others from their start), the cursor on from there, and its count.
 */
export interface ColumnState {
  /** Tasks of the column (matching the filter), as the server counted them and live changes moved them. */
  total: number;
  /** Where the next page starts; null once the run reaches the column's far end. */
  cursor: string | null;
  fromEnd: boolean;
  /** The loaded run's inner edge (its last task, or first from the end): tasks past it wait for their page. */
  edge: TaskView | null;
  loading?: Promise<void> | undefined;
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

  /** Per column key. */
  readonly cols = new Map<string, ColumnState>();
  filter: BoardFilter = {};
  /** Deleted tasks: a late change never brings them back, nor counts them twice. */
  private readonly gone = new Set<string>();
  /** Columns as shown, per key, until a task changes. */
  private readonly shown = new Map<string, TaskView[]>();

  reset(snapshot: { project: ProjectView; members: MemberView[]; rooms: RoomView[]; presence: { userId: string; state: PresenceState }[] }): void {
    this.project = snapshot.project;
    this.role = snapshot.project.role;
    this.members.clear();
    snapshot.members.forEach((m) => this.members.set(m.userId, m));
    this.rooms.clear();
    snapshot.rooms.forEach((r) => this.rooms.set(r.id, r));
    this.presence.clear();
    snapshot.presence.forEach((p) => this.presence.set(p.userId, p.state));
    // Histories may have missed changes while nobody replayed them: they reload when next shown.
    this.histories.clear();
  }

  /** Starts the board over: no task loaded, every column to load from its first page. */
  clearBoard(totals: Map<string, number>): void {
    this.tasks.clear();
    this.shown.clear();
    this.cols.clear();
    const done = this.project?.columns.at(-1)?.key;
    for (const [key, total] of totals) this.cols.set(key, { total, cursor: null, fromEnd: key === done, edge: null });
  }

  /** Adds a page of a column's run (the server counted these tasks already). */
  addPage(status: string, page: { items: TaskView[]; nextCursor: string | null }): void {
    const col = this.cols.get(status);
    if (!col) return;
    for (const task of page.items) if (!this.gone.has(task.id) && (this.tasks.get(task.id)?.version ?? 0) <= task.version) this.tasks.set(task.id, task);
    col.cursor = page.nextCursor;
    col.edge = page.items.at(-1) ?? col.edge;
    this.shown.clear();
  }

  /** The loaded tasks of one column that are shown: in board order, within the loaded run, matching the filter. */
  column(status: string): TaskView[] {
    let list = this.shown.get(status);
    if (!list) {
      const col = this.cols.get(status);
      const edge = col?.cursor ? col.edge : null;
      list = [...this.tasks.values()]
        .filter((t) => t.status === status && this.matches(t) && (!edge || byPosition(t, edge) * (col!.fromEnd ? -1 : 1) <= 0))
        .sort(byPosition);
      this.shown.set(status, list);
    }
    return list;
  }

  /** The filter as the server applies it, for tasks that live changes bring. */
  matches(task: TaskView): boolean {
    const { q, label } = this.filter;
    return (!q || `${task.title}\n${task.description}`.toLowerCase().includes(q.toLowerCase())) && (!label || task.labels.includes(label));
  }

  /** Puts a task this page knows the previous state of (or a new one), moving it between the column counts. */
  putTask(task: TaskView): void {
    const before = this.tasks.get(task.id);
    if (before && this.matches(before)) this.count(before.status, -1);
    if (this.matches(task)) this.count(task.status, 1);
    this.tasks.set(task.id, task);
    this.shown.clear();
  }

  removeTask(id: string, status?: string): void {
    const before = this.tasks.get(id);
    if (!this.gone.has(id) && (before ? this.matches(before) : status)) this.count(before?.status ?? status!, -1);
    this.gone.add(id);
    this.tasks.delete(id);
    this.shown.clear();
  }

  private count(status: string, by: number): void {
    const col = this.cols.get(status);
    if (col) col.total = Math.max(0, col.total + by);
  }

  upsertTask(task: TaskView): boolean {
    const current = this.tasks.get(task.id);
    if ((current && current.version > task.version) || this.gone.has(task.id)) return false;
    this.putTask(task);
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
      case 'task.moved': {
        const task = data as unknown as TaskView;
        // A card never loaded left some column this page cannot name: only the server can count it.
        const recount = !this.tasks.has(task.id) && change.type !== 'task.created';
        if (recount && !this.gone.has(task.id)) this.tasks.set(task.id, task);
        else if (!this.upsertTask(task)) return { kind: 'none', id: null };
        this.shown.clear();
        return { kind: 'task', id, recount };
      }
      case 'task.deleted': {
        // Whether a card never loaded matched the filter, only the server knows.
        const recount = !!id && !this.tasks.has(id) && !!(this.filter.q || this.filter.label);
        if (id) this.removeTask(id, recount ? undefined : (data.status as string));
        return { kind: 'task', id, recount };
      }
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
