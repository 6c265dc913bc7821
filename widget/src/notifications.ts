// The signed-in user's notifications: the unread count and the newest items,
// kept live by the `notification` socket event. One instance per credentials
// (LiveController.inbox), a Lit ReactiveController on every element showing it:
// the widget's launcher badge, the app page's bell and list.
//
// Embed visitors have no inbox: an embed token (`twe_…`, or GET /api/me with an
// `embed` field) turns it off before any socket is opened. On every (re)connect
// the first page is read again, so nothing sent while offline is missed.

import { ApiError, RestClient, type Credentials } from './rest.js';
import { SharedController } from './shared-controller.js';
import { acquireSocket, credentialsId, type SocketLease } from './sockets.js';
import type { NotificationView, Page } from './types.js';

/** The shared socket, lent by ./sockets.ts until `release()`. */
export type { SocketLease };

export type InboxPage = Page<NotificationView> & { unread: number };

export class Inbox extends SharedController {
  /** null until known; false for embed visitors and whatever has no inbox. */
  enabled: boolean | null = null;
  /** How many of this user's notifications are unread (all of them, not only those loaded). */
  unread = 0;
  /** Newest first. */
  items: NotificationView[] = [];
  nextCursor: string | null = null;
  /** The first page arrived. */
  loaded = false;
  /** How many of the newest are read (the launcher needs only the count; the app page asks for more). */
  pageSize = 1;

  private readonly listeners = new Set<(item: NotificationView) => void>();
  private lease: SocketLease | null = null;
  private started = false;
  /** Ids that arrived live while a refresh was in flight (the count it reads may predate them). */
  private arrived: Set<string> | null = null;
  private refreshing: Promise<void> | null = null;
  private again = false;
  private readonly onItem = (item: NotificationView) => this.receive(item);
  private readonly onRead = (read: { ids: string[]; unread: number }) => this.markedRead(read);
  private readonly onConnect = () => void this.refresh();
  /** The token was refused at the handshake, or revoked (the server hangs up): no more inbox. */
  private readonly onGone = (why: unknown) => {
    if (why === 'io server disconnect' || (why as Error | undefined)?.message === 'unauthenticated') this.disable();
  };

  constructor(
    readonly rest: RestClient,
    private readonly open: () => SocketLease,
    forget: () => void,
  ) {
    super(forget);
  }

  protected start(): void {
    if (!this.started) void this.begin();
  }

  /** Called with each notification that arrives live (after the count and list took it in). */
  onNotification(listener: (item: NotificationView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async begin(): Promise<void> {
    this.started = true;
    const token = this.rest.credentials.token;
    if (!token || token.startsWith('twe_')) return this.disable();
    try {
      if ((await this.rest.me()).embed) return this.disable();
    } catch {
      // Not signed in, or the server is away: no badge (a later attach tries again).
      this.started = false;
      return;
    }
    if (!this.started || this.lease) return;
    this.enabled = true;
    const lease = this.open();
    this.lease = lease;
    lease.socket.on('notification', this.onItem);
    lease.socket.on('notifications.read', this.onRead);
    lease.socket.on('connect', this.onConnect);
    lease.socket.on('connect_error', this.onGone);
    lease.socket.on('disconnect', this.onGone);
    // Read now; the socket's connect reads again, which covers anything sent before it joined.
    await this.refresh();
  }

  protected stop(): void {
    this.started = false;
    const lease = this.lease;
    this.lease = null;
    if (!lease) return;
    lease.socket.off('notification', this.onItem);
    lease.socket.off('notifications.read', this.onRead);
    lease.socket.off('connect', this.onConnect);
    lease.socket.off('connect_error', this.onGone);
    lease.socket.off('disconnect', this.onGone);
    lease.release();
  }

  private disable(): void {
    this.stop();
    // Settled: attaching again does not ask again.
    this.started = true;
    this.enabled = false;
    this.unread = 0;
    this.items = [];
    this.update();
  }

  /**
   * Reads the newest page and the unread count again. Asked while a read is under way (the socket connected
   * meanwhile), it reads once more after it, so nothing sent before the socket joined is missed.
   */
  refresh(): Promise<void> {
    if (!this.enabled) return Promise.resolve();
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      const arrived = (this.arrived = new Set());
      try {
        const page = await this.rest.request<InboxPage>('GET', `/api/me/notifications?limit=${this.pageSize}`);
        const ids = new Set(page.items.map((n) => n.id));
        const newer = this.items.filter((n) => arrived.has(n.id) && !ids.has(n.id));
        // Older pages loaded before stay when this page reaches them.
        const last = page.items.at(-1)?.createdAt ?? '';
        const older = page.nextCursor ? this.items.filter((n) => !ids.has(n.id) && n.createdAt < last) : [];
        this.items = [...newer, ...page.items, ...older];
        if (!older.length) this.nextCursor = page.nextCursor;
        this.unread = page.unread + newer.filter((n) => !n.readAt).length;
        this.loaded = true;
      } catch (error) {
        if (error instanceof ApiError && (error.status === 401 || error.status === 403)) this.disable();
      } finally {
        this.arrived = null;
        this.refreshing = null;
        this.update();
      }
      if (this.again) {
        this.again = false;
        await this.refresh();
      }
    })();
    return this.refreshing;
  }

  /** A notification from the socket: on top of the list, and counted once. */
  receive(item: NotificationView): void {
    if (!this.enabled) return;
    const index = this.items.findIndex((n) => n.id === item.id);
    if (index >= 0) this.items[index] = item;
    else {
      this.items = [item, ...this.items];
      if (!item.readAt) this.unread++;
      this.arrived?.add(item.id);
    }
    this.update();
    for (const listener of this.listeners) listener(item);
  }

  /** Read marks made elsewhere (another tab, the app page while the widget shows a badge): the count is the server's. */
  markedRead(read: { ids: string[]; unread: number }): void {
    if (!this.enabled || !Array.isArray(read?.ids) || typeof read.unread !== 'number') return;
    const ids = new Set(read.ids);
    const now = new Date().toISOString();
    this.items = this.items.map((n) => (ids.has(n.id) && !n.readAt ? { ...n, readAt: now } : n));
    this.unread = read.unread;
    this.update();
  }

  /** Re-renders every element showing this inbox (after a change made from outside, like marking read). */
  update(): void {
    for (const host of this.hosts) host.requestUpdate();
  }
}

const inboxes = new Map<string, Inbox>();

/** The signed-in user's notifications for these credentials (shared, like the socket it listens on). */
export function inboxFor(key: Credentials): Inbox {
  const id = credentialsId(key);
  let inbox = inboxes.get(id);
  if (!inbox) {
    inbox = new Inbox(new RestClient(key), () => acquireSocket(key), () => inboxes.delete(id));
    inboxes.set(id, inbox);
  }
  return inbox;
}
