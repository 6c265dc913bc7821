// <taskwire-inbox>: the app page's bell. It shows the signed-in user's unread
// count and opens a panel with their notifications, newest first: the text, when,
// how each channel delivered it ("email: failed — <reason>"), unread ones marked,
// "Mark read" per item and "Mark all read". The count and the list follow the
// `notification` socket event through the shared inbox (LiveController.inbox),
// so nothing needs a reload. Part of /app.js only.

import { LiveController, LitElement, css, html, nothing } from '../src/index.js';
import type { DeliveryView, NotificationView } from '../src/index.js';
import type { Inbox, InboxPage } from '../src/notifications.js';
import { screenStyles } from './styles.js';

/** The newest notifications the app page reads at once (the widget's launcher reads only the count). */
const PAGE = 30;

/** One delivery in words: "email: failed (3 attempts) — connection refused". */
export const deliveryText = (d: DeliveryView): string =>
  `${d.channel === 'inapp' ? 'in-app' : d.channel}: ${d.status}${d.attempts > 1 ? ` (${d.attempts} attempts)` : ''}${d.lastError ? ` — ${d.lastError}` : ''}`;

const list = (inbox: Inbox, query: string) => inbox.rest.request<InboxPage>('GET', `/api/me/notifications?${query}`);

/** Marks these read; the count comes back from the server. */
async function markRead(inbox: Inbox, ids: string[]): Promise<void> {
  const { unread } = await inbox.rest.request<{ unread: number }>('POST', '/api/me/notifications/read', { ids });
  const now = new Date().toISOString();
  inbox.items = inbox.items.map((n) => (ids.includes(n.id) ? { ...n, readAt: n.readAt ?? now } : n));
  inbox.unread = unread;
}

/** Marks every unread notification read, also those not loaded (200 at a time, as the API takes them). */
async function markAllRead(inbox: Inbox): Promise<void> {
  for (let page = await list(inbox, 'unread=true&limit=200'), guard = 0; page.items.length && guard < 50; guard++) {
    await markRead(inbox, page.items.map((n) => n.id));
    page = await list(inbox, 'unread=true&limit=200');
  }
}

/** Appends the next older page. */
async function loadOlder(inbox: Inbox): Promise<void> {
  const page = await list(inbox, `limit=${PAGE}&cursor=${encodeURIComponent(inbox.nextCursor ?? '')}`);
  const known = new Set(inbox.items.map((n) => n.id));
  inbox.items = [...inbox.items, ...page.items.filter((n) => !known.has(n.id))];
  inbox.nextCursor = page.nextCursor;
  inbox.unread = page.unread;
}

export class TaskwireInbox extends LitElement {
  static override properties = {
    server: {},
    token: {},
    open: { type: Boolean, reflect: true },
    error: { state: true },
  };

  static override styles = [
    ...screenStyles,
    css`
      :host {
        position: relative;
        background: none;
      }
      .bell {
        width: 36px;
        height: 36px;
        border: 0;
        border-radius: 50%;
        background: none;
      }
      .bell:hover,
      :host([open]) .bell {
        background: var(--_bg);
      }
      .bell .badge {
        position: absolute;
        top: 0;
        left: 22px;
        padding: 0 5px;
        border-radius: 9px;
        background: var(--_danger);
        color: var(--_surface);
        font-size: 11px;
        font-weight: 700;
      }
      .drop {
        position: absolute;
        top: 44px;
        right: 0;
        z-index: 9;
        width: min(420px, 96vw);
        max-height: 80vh;
        overflow-y: auto;
        padding: 0;
        box-shadow: 0 18px 48px rgb(var(--_shade) / 20%);
      }
      .row {
        padding: 10px 14px;
        border-bottom: 1px solid var(--_border);
      }
      .row h2 {
        margin: 0;
        flex: 1;
      }
      .drop a {
        color: var(--_accent);
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        align-items: start;
      }
      li > div {
        flex: 1;
        overflow-wrap: anywhere;
      }
      [data-unread='true'] {
        background: color-mix(in srgb, var(--_accent) 7%, var(--_surface));
        box-shadow: inset 3px 0 var(--_accent);
        font-weight: 600;
      }
      .hint {
        margin: 4px 0;
        font-weight: 400;
      }
      .delivery {
        display: inline-block;
        margin: 0 4px 0 0;
        padding: 0 7px;
        border-radius: 9px;
        background: var(--_bg);
        font-size: 11px;
        font-weight: 400;
      }
      .sent {
        background: color-mix(in srgb, var(--_success) 12%, var(--_surface));
      }
      .failed {
        background: color-mix(in srgb, var(--_danger) 10%, var(--_surface));
        color: var(--_danger);
      }
    `,
  ];

  server = '';
  token = '';
  /** The panel is open. */
  open = false;
  error: string | null = null;

  private inbox: Inbox | null = null;
  private poll: ReturnType<typeof setTimeout> | undefined;
  /** A click outside closes the panel; so does Escape anywhere (the focus may be on a button that just turned disabled). */
  private readonly onDocument = (e: Event) => {
    if (!this.open) return;
    if (e instanceof KeyboardEvent ? e.key === 'Escape' : !e.composedPath().includes(this)) this.open = false;
    if (!this.open && e.type === 'keydown') this.renderRoot.querySelector('button')?.focus();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('click', this.onDocument);
    document.addEventListener('keydown', this.onDocument);
  }

  override disconnectedCallback(): void {
    document.removeEventListener('click', this.onDocument);
    document.removeEventListener('keydown', this.onDocument);
    // The inbox stays attached as a controller: it lets the socket go while this element is out of the page.
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('token')) {
      this.inbox?.detach(this);
      const inbox = (this.inbox = LiveController.inbox({ server: this.server, token: this.token, userToken: null }));
      inbox.pageSize = PAGE;
      inbox.attach(this);
      if (inbox.loaded) void inbox.refresh();
    }
    if (changed.has('open') && this.open) void this.inbox?.refresh();
  }

  protected override updated(): void {
    // A live notification comes with its email or chat delivery still queued: read the outcome while the panel is open.
    clearTimeout(this.poll);
    if (this.open && this.inbox?.items.some((n) => n.deliveries.some((d) => d.status === 'queued'))) this.poll = setTimeout(() => void this.inbox?.refresh(), 3000);
  }

  override render() {
    const inbox = this.inbox;
    if (!inbox?.enabled) return nothing;
    const unread = inbox.unread;
    return html`
      <button class="bell" aria-expanded=${String(this.open)} aria-label="Notifications${unread ? `, ${unread} unread` : ''}" @click=${() => (this.open = !this.open)}>
        <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true"><path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9M10 21a2 2 0 0 0 4 0" /></svg>
        ${unread ? html`<span class="badge" data-count=${unread}>${unread > 99 ? '99+' : unread}</span>` : nothing}
      </button>
      ${this.open
        ? html`<section class="panel drop" role="dialog" aria-label="Notifications" @click=${(e: Event) => (e.target as Element).closest('a') && (this.open = false)}>
            <div class="row">
              <h2>Notifications</h2>
              <span class="hint" aria-live="polite">${unread ? `${unread} unread` : 'All read'}</span>
              <button class="btn mark-all" ?disabled=${!unread} @click=${() => this.run(markAllRead(inbox))}>Mark all read</button>
            </div>
            ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
            <ol>
              ${inbox.items.map((n) => this.renderItem(inbox, n))}
            </ol>
            ${inbox.items.length ? nothing : html`<p class="empty">Nothing yet: assignments, reminders and mentions show up here.</p>`}
            <div class="row">
              <a class="spacer" href="#/settings">Notification settings</a>
              ${inbox.nextCursor ? html`<button class="btn ghost" @click=${() => this.run(loadOlder(inbox))}>Load older</button>` : nothing}
            </div>
          </section>`
        : nothing}
    `;
  }

  private renderItem(inbox: Inbox, n: NotificationView) {
    const unread = !n.readAt;
    return html`<li class="row" data-id=${n.id} data-event=${n.event} data-unread=${String(unread)}>
      <div>
        <span class="text">${unread ? html`<span class="sr-only">Unread: </span>` : nothing}${n.text}</span>
        <p class="hint">
          <time datetime=${n.createdAt}>${new Date(n.createdAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}</time>
          ${n.projectId ? html` · <a href="#/projects/${encodeURIComponent(n.projectId)}/${n.event === 'mentioned' ? 'chat' : 'board'}">Open</a>` : nothing}
        </p>
        ${n.deliveries.map((d) => html`<span class="delivery ${d.status}" data-channel=${d.channel} data-status=${d.status}>${deliveryText(d)}</span>`)}
      </div>
      ${unread ? html`<button class="btn mark" @click=${() => this.run(markRead(inbox, [n.id]))}>Mark read</button>` : nothing}
    </li>`;
  }

  private async run(work: Promise<void>): Promise<void> {
    this.error = null;
    try {
      await work;
    } catch (error) {
      this.error = (error as Error).message;
    }
    this.inbox?.update();
  }
}
