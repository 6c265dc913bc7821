// The one live-data controller. It owns the socket.io-client connection of a
// (server, project, token) and the local store every element on the page reads:
//
//   1. snapshot: the feed's head seq first, then project, members, rooms,
//      presence, the board's column counts and each column's first page over
//      REST (so the snapshot is at least as new as that seq);
//   2. subscribe {projectId, since: last seq applied}: the server replays what
//      came after, then streams; changes apply in seq order, duplicates are
//      dropped, a hole makes it resubscribe from the last seq it applied;
//   3. on reconnect the same subscribe catches up, and the state goes
//      reconnecting → resynced (→ live a few seconds later).
//
// Board and chat of the same key share one instance (LiveController.for), added
// to each element as a Lit ReactiveController.
//
// The socket itself belongs to the credentials, not to the project: every
// controller of a (server, token, user-token) on the page, and that user's
// inbox (LiveController.inbox, ./notifications.ts), share one connection
// (./sockets.ts). The board's pages and counts are read by ./board-pages.ts.

import type { Socket } from 'socket.io-client';
import { BoardPages, loadHistory } from './board-pages.js';
import { emit, type ConnectionState } from './events.js';
import { inboxFor } from './notifications.js';
import { ApiError, RestClient, type Credentials } from './rest.js';
import { LocalWrites, SharedController } from './shared-controller.js';
import { acquireSocket, listen, type SocketLease } from './sockets.js';
import { LiveStore, type BoardFilter, type Touched } from './store.js';
import type { Change, Me, PresenceEvent } from './types.js';

export interface LiveKey extends Credentials {
  project: string;
}

interface SubscribeAck {
  ok: boolean;
  lastSeq?: number;
  error?: { code: string; message: string; details?: { path?: string }[] };
}

/** How long "resynced" shows before the state reads "live" again. */
const RESYNCED_MS = 4000;
/** Activity is reported at most this often (presence needs minutes, not seconds). */
const ACTIVITY_EVERY_MS = 20_000;

const registry = new Map<string, LiveController>();

export class LiveController extends SharedController {
  /** The shared controller of a key, created on first use. */
  static for(key: LiveKey): LiveController {
    const id = JSON.stringify([key.server, key.project, key.token, key.userToken]);
    let controller = registry.get(id);
    if (!controller) {
      controller = new LiveController(key, () => registry.delete(id));
      registry.set(id, controller);
    }
    return controller;
  }

  /** The signed-in user's notifications for these credentials (shared, like the socket it listens on). */
  static inbox = inboxFor;

  /** Listens to one event of the page's socket for these credentials (./sockets.ts). */
  static listen = listen;

  readonly store = new LiveStore();
  readonly rest: RestClient;
  private readonly pages: BoardPages;
  readonly projectId: string;
  me: Me | null = null;
  state: ConnectionState = 'connecting';
  /** Why the state is unauthorized or error, for the elements to show. */
  problem: string | null = null;
  /** The last change applied; every change up to it is in the store. */
  lastSeq = 0;
  /** True once the first snapshot is in the store. */
  ready = false;

  private socket: Socket | null = null;
  private lease: SocketLease | null = null;
  /** Takes this controller's listeners off the shared socket. */
  private readonly offs: (() => void)[] = [];
  private started = false;
  private synced = false;
  private snapshotting: Promise<void> | null = null;
  private resubscribing = false;
  private catchUpTo: number | null = null;
  private everLive = false;
  private resyncedTimer: ReturnType<typeof setTimeout> | undefined;
  private lastActivity = 0;
  private pendingActivity = false;
  private notifyQueued = false;
  private readonly touched: Touched[] = [];
  private readonly listeners = new Set<(touched: Touched[]) => void>();
  private readonly localWrites = new LocalWrites();
  private readonly onOnline = () => this.kick();
  private readonly onOffline = () => this.socket?.io.engine?.close();

  private constructor(
    readonly key: LiveKey,
    forget: () => void,
  ) {
    super(forget);
    this.rest = new RestClient(key);
    this.projectId = key.project;
    this.pages = new BoardPages(this.rest, key.project, this.store, () => this.touch({ kind: 'task', id: null }));
  }

  /** Called with what changed after each batch of updates (for animations). */
  onChange(listener: (touched: Touched[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- lifecycle

  protected start(): void {
    if (this.started) return;
    this.started = true;
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    void this.snapshot().then(() => this.connect());
  }

  /** Presence changed while we were away (our own connection among them): read it again. */
  private async reloadPresence(): Promise<void> {
    try {
      for (const p of await this.rest.presence(this.projectId)) this.store.presence.set(p.userId, p.state);
      this.touch({ kind: 'member', id: null });
    } catch {
      // Presence is decoration: the next presence event fixes it.
    }
  }

  protected stop(): void {
    this.started = false;
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    this.dropSocket();
    clearTimeout(this.resyncedTimer);
    // A count asked for just before is of a board nobody shows (and maybe one we were just removed from).
    this.pages.stop();
  }

  /** Stops listening on the shared socket and lets it go (it closes when nobody else uses it). */
  private dropSocket(): void {
    const socket = this.socket;
    if (!socket) return;
    for (const off of this.offs.splice(0)) off();
    // Others may keep the connection: stop this project's stream on it.
    if (socket.connected) socket.emit('unsubscribe', { projectId: this.projectId });
    this.socket = null;
    this.lease?.release();
    this.lease = null;
  }

  private connect(): void {
    if (!this.started || this.socket || this.state === 'unauthorized') return;
    const lease = acquireSocket(this.key);
    const socket = lease.socket;
    this.lease = lease;
    this.socket = socket;
    const on = <A extends unknown[]>(event: string, handler: (...args: A) => void) => {
      socket.on(event, handler);
      this.offs.push(() => socket.off(event, handler));
    };
    on('connect', () => void this.subscribe());
    on('connect_error', (error: Error) => {
      if (error.message === 'unauthenticated') return this.fail('unauthorized', this.refusal('This token is not valid here.'));
      this.setState('reconnecting');
    });
    on('disconnect', (reason: string) => {
      if (reason === 'io client disconnect') return;
      // The server cut us off on purpose (revoked token): socket.io does not come back by itself.
      if (reason === 'io server disconnect') return this.fail('unauthorized', 'Access to this project was revoked.');
      this.setState('reconnecting');
    });
    on('change', (change: Change) => this.receive(change));
    on('presence', (p: PresenceEvent) => {
      if (p.projectId !== this.projectId) return;
      this.store.presence.set(p.userId, p.state);
      this.touch({ kind: 'member', id: p.userId });
    });
    on('unsubscribed', (e: { projectId: string; reason?: string }) => {
      if (e.projectId === this.projectId) this.fail('error', 'You no longer have access to this project.');
    });
    on('revoked', () => this.fail('unauthorized', 'Access to this project was revoked.'));
    on('shutdown', () => this.setState('reconnecting'));
    // Shared with a controller (or an inbox) that connected it already.
    if (socket.connected) void this.subscribe();
  }

  /** Back online: try now rather than at the end of the backoff. */
  private kick(): void {
    const socket = this.socket;
    if (!socket || socket.connected || this.state === 'unauthorized') return;
    socket.disconnect();
    socket.connect();
  }

  /** Why the server refused us, in words for the page: an embed token's usual reasons rather than "not signed in". */
  private refusal(message: string): string {
    if (!this.key.token?.startsWith('twe_')) return message;
    const here = location.origin;
    return this.key.userToken
      ? `Taskwire refused this embed: the signed-in user could not be verified (user-token expired, or not signed for this project), or ${here} is not one of the token's origins.`
      : `Taskwire refused this embed token on ${here}: this origin is not on its list, the token was deleted, or it needs a user-token.`;
  }

  private fail(state: 'unauthorized' | 'error', problem: string): void {
    this.problem = problem;
    this.setState(state);
    this.pages.stop();
    if (state === 'unauthorized') this.dropSocket();
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    if ((this.state === 'unauthorized' || this.state === 'error') && state !== 'live' && state !== 'resynced') return;
    this.state = state;
    clearTimeout(this.resyncedTimer);
    if (state === 'resynced') {
      this.resyncedTimer = setTimeout(() => {
        if (this.state === 'resynced') this.setState('live');
      }, RESYNCED_MS);
    }
    for (const host of this.hosts) emit(host, 'taskwire-connection', { state, lastSeq: this.lastSeq, projectId: this.projectId });
    this.notify();
  }

  // ---- snapshot and subscription

  /** Loads the whole project over REST; `lastSeq` becomes the feed head read before it. */
  snapshot(): Promise<void> {
    this.snapshotting ??= (async () => {
      this.synced = false;
      try {
        const rest = this.rest;
        const head = await rest.request<{ lastSeq: number }>('GET', `/api/projects/${encodeURIComponent(this.projectId)}/changes?since=0&limit=1`);
        // Who "I" am comes from GET /api/me for every kind of token: for an embed token it is the user the
        // token acts as (the host's verified user, or the token's guest), so own messages are known at once.
        const [me, project, members, rooms, presence] = await Promise.all([
          this.me ?? rest.me(),
          rest.project(this.projectId),
          rest.members(this.projectId),
          rest.rooms(this.projectId),
          rest.presence(this.projectId).catch(() => []),
        ]);
        this.me = me;
        this.store.reset({ project, members, rooms, presence });
        await this.loadBoard();
        this.lastSeq = head.lastSeq;
        this.synced = true;
        this.ready = true;
        this.problem = null;
        if (this.state === 'error') this.state = 'connecting';
        this.touch({ kind: 'project', id: this.projectId });
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) this.fail('unauthorized', this.refusal(error.message));
        else if (error instanceof ApiError && error.status === 403) this.fail('unauthorized', error.message);
        else if (error instanceof ApiError && error.status === 404) this.fail('error', 'This project does not exist, or this token cannot see it.');
        else {
          this.problem = error instanceof Error ? error.message : 'The project could not be loaded.';
          this.setState('reconnecting');
        }
      } finally {
        this.snapshotting = null;
      }
    })();
    return this.snapshotting;
  }

  /** The board's first page of every column and their counts, under the store's filter (./board-pages.ts). */
  loadBoard(): Promise<void> {
    return this.pages.load();
  }

  /** The next page of a column's run (one load at a time per column). */
  loadMore(status: string, limit = 100): Promise<void> {
    return this.pages.more(status, limit);
  }

  /** Filters the board on the server: every column starts over from its first page. */
  setFilter(filter: BoardFilter): Promise<void> {
    this.store.filter = filter;
    return this.pages.load();
  }

  private async subscribe(): Promise<void> {
    const socket = this.socket;
    if (!socket?.connected) return;
    if (!this.synced) await this.snapshot();
    if (socket !== this.socket) return;
    if (!this.synced) {
      if (this.state !== 'unauthorized' && this.state !== 'error') setTimeout(() => void this.subscribe(), 3000);
      return;
    }
    const since = this.lastSeq;
    this.resubscribing = true;
    let ack: SubscribeAck;
    try {
      ack = (await socket.timeout(10_000).emitWithAck('subscribe', { projectId: this.projectId, since })) as SubscribeAck;
    } catch {
      this.resubscribing = false;
      // No answer in time: drop the transport and let the reconnect loop try again.
      socket.io.engine?.close();
      return;
    }
    this.resubscribing = false;
    if (!ack.ok) {
      const code = ack.error?.code;
      if (code === 'validation_failed' && ack.error?.details?.some((d) => d.path === 'since')) {
        // The feed is behind what we saw (a restored database): start over from a fresh snapshot.
        this.synced = false;
        return this.subscribe();
      }
      if (code === 'not_found' || code === 'forbidden') return this.fail('error', ack.error?.message ?? 'This project cannot be read.');
      if (code === 'unauthenticated') return this.fail('unauthorized', ack.error?.message ?? 'Not signed in.');
      setTimeout(() => void this.subscribe(), 1000);
      return;
    }
    this.catchUpTo = ack.lastSeq ?? since;
    this.checkCaughtUp();
    void this.reloadPresence();
  }

  private checkCaughtUp(): void {
    if (this.catchUpTo === null || this.lastSeq < this.catchUpTo) return;
    this.catchUpTo = null;
    // The replay may have repeated creations the counts already held.
    this.pages.recount();
    this.setState(this.everLive ? 'resynced' : 'live');
    this.everLive = true;
    if (this.pendingActivity) this.activity();
  }

  private receive(change: Change): void {
    if (change.projectId !== this.projectId || !this.synced) return;
    if (change.seq <= this.lastSeq) return;
    if (change.seq > this.lastSeq + 1) {
      // A hole: ask again from the last change applied (the replay fills it, duplicates are dropped).
      if (!this.resubscribing) void this.subscribe();
      return;
    }
    const touched = this.store.apply(change);
    this.lastSeq = change.seq;
    if (touched.kind === 'member' && touched.id && touched.id === this.me?.id) {
      const member = this.store.members.get(touched.id);
      if (member) this.store.role = member.role;
    }
    if (touched.recount) this.pages.recount();
    if (touched.kind !== 'none') this.touch(touched);
    this.checkCaughtUp();
  }

  private touch(touched: Touched): void {
    this.touched.push(touched);
    this.notify();
  }

  private notify(): void {
    if (this.notifyQueued) return;
    this.notifyQueued = true;
    queueMicrotask(() => {
      this.notifyQueued = false;
      const batch = this.touched.splice(0);
      for (const listener of this.listeners) listener(batch);
      for (const host of this.hosts) host.requestUpdate();
    });
  }

  // ---- helpers for the elements

  /** Reports user input for presence, at most every 20 s (input before the socket is up is reported once it is). */
  activity(): void {
    const now = Date.now();
    if (now - this.lastActivity < ACTIVITY_EVERY_MS) return;
    if (!this.socket?.connected || this.catchUpTo !== null || this.state === 'connecting') {
      this.pendingActivity = true;
      return;
    }
    this.lastActivity = now;
    this.pendingActivity = false;
    this.socket.emit('activity', { projectId: this.projectId });
  }

  /** Runs a write on a task while marking it as this page's own (no "someone else changed it" flash). */
  writing<T>(taskId: string, work: () => Promise<T>): Promise<T> {
    return this.localWrites.run(taskId, work);
  }

  isLocalWrite(taskId: string): boolean {
    return this.localWrites.has(taskId);
  }

  /** Loads the newest page of a room (once), or the next older page (./board-pages.ts). */
  loadMessages(roomId: string, older = false): Promise<void> {
    return loadHistory(this.rest, this.store, roomId, older, () => this.touch({ kind: 'message', id: null }));
  }


  /** Puts a REST result in the store at once (its change will follow and be a no-op). */
  applyLocal(touched: Touched): void {
    this.touch(touched);
  }
}
