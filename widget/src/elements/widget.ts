// <taskwire-widget>: a launcher button that opens a panel with a Board tab and
// a Chat tab. The board and chat inside are created on first open. With a
// user's own token the launcher also shows their unread notifications, live
// (the socket the board and chat use later); with an embed token a page that
// never opens the panel makes no connection.

import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { emit } from '../events.js';
import { loadChat } from '../lazy.js';
import { LiveController } from '../live.js';
import type { Inbox } from '../notifications.js';
import { SCRIPT_ORIGIN } from '../origin.js';
import { theme } from '../styles.js';

type Tab = 'board' | 'chat';

const BOARD_PARTS = 'board, toolbar, title, status, columns, column, column-header, column-tab, card, card-grabbed, card-pending, card-title, label, due, overdue, avatar, add-button, quick-add, add-error, counter, editor, plugin-panel, notice, filter';
const CHAT_PARTS = 'chat, sidebar, rooms, room, people, presence, main, messages, message, message-own, author, badge, text, tombstone, composer, send-button, load-older, message-menu-button, message-menu, read-only, new-messages, command-reply, counter, send-error';

export class TaskwireWidget extends LitElement {
  static override properties = {
    server: { type: String },
    project: { type: String },
    room: { type: String },
    token: { type: String },
    userToken: { type: String, attribute: 'user-token' },
    open: { type: Boolean, reflect: true },
    tab: { type: String, reflect: true },
    label: { type: String },
    position: { type: String, reflect: true },
    theme: { type: String, reflect: true },
    opened: { state: true },
    chatFailed: { state: true },
  };

  static override styles = [
    theme,
    css`
      :host {
        position: fixed;
        right: 20px;
        bottom: 20px;
        z-index: var(--taskwire-z-index, 2147483000);
      }
      :host([position='bottom-left']) {
        right: auto;
        left: 20px;
      }
      .launcher {
        display: inline-flex;
        align-items: center;
        gap: 8px;
        border: 0;
        border-radius: 999px;
        padding: 12px 18px;
        background: var(--_accent);
        color: var(--_accent-fg);
        font-weight: 600;
        box-shadow: 0 6px 20px rgb(var(--_shade) / 25%);
      }
      .launcher:hover {
        background: color-mix(in srgb, var(--_accent) 85%, var(--_fg));
      }
      .launcher svg {
        width: 18px;
        height: 18px;
      }
      .unread {
        min-width: 20px;
        padding: 1px 6px;
        border-radius: 999px;
        background: var(--_danger);
        color: var(--_surface);
        font-size: 12px;
        line-height: 18px;
      }
      .panel {
        position: absolute;
        bottom: 60px;
        right: 0;
        width: min(820px, calc(100vw - 40px));
        height: min(620px, calc(100vh - 110px));
        background: var(--_surface);
        border: 1px solid var(--_border);
        border-radius: calc(var(--_radius) * 1.4);
        box-shadow: 0 24px 60px rgb(var(--_shade) / 28%);
        display: flex;
        flex-direction: column;
        overflow: hidden;
        transform-origin: bottom right;
        animation: pop 0.16s ease-out;
      }
      :host([position='bottom-left']) .panel {
        right: auto;
        left: 0;
        transform-origin: bottom left;
      }
      @keyframes pop {
        from {
          opacity: 0;
          transform: translateY(8px) scale(0.98);
        }
      }
      .header {
        display: flex;
        align-items: center;
        gap: 6px;
        padding: 8px 10px;
        border-bottom: 1px solid var(--_border);
      }
      .brand {
        font-weight: 700;
        margin: 0 10px 0 6px;
        color: var(--_accent);
      }
      .tab {
        border: 0;
        background: none;
        padding: 6px 12px;
        border-radius: 999px;
        color: var(--_muted);
        font-weight: 600;
      }
      .tab[aria-selected='true'] {
        background: var(--_selected);
        color: var(--_selected-fg);
      }
      .close {
        margin-left: auto;
        border: 0;
        background: none;
        font-size: 20px;
        line-height: 1;
        padding: 4px 8px;
        border-radius: 6px;
        color: var(--_muted);
      }
      .content {
        flex: 1;
        min-height: 0;
        position: relative;
      }
      .content > * {
        height: 100%;
        border-radius: 0;
        --taskwire-radius: var(--_radius);
      }
    `,
  ];

  server: string = SCRIPT_ORIGIN;
  project = '';
  room = '';
  token = '';
  userToken = '';
  /** Whether the panel is open. */
  open = false;
  /** The tab shown: board or chat. */
  tab: Tab = 'board';
  /** The launcher button's text. */
  label = 'Tasks & chat';
  /** bottom-right (default) or bottom-left. */
  position = 'bottom-right';
  /** light, dark, or auto (unset: prefers-color-scheme); passed on to the board and chat. */
  theme?: 'light' | 'dark' | 'auto';
  /** The panel has been open once: its board and chat exist from then on. */
  opened = false;
  /** The chat's chunk could not be fetched (most likely replaced by an update of the server). */
  chatFailed = false;

  private loadTheChat(): void {
    loadChat().catch(() => (this.chatFailed = true));
  }

  /** The signed-in user's inbox, for the launcher's badge (a controller: it lets the socket go while detached from the page). */
  private inbox: Inbox | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!this.inbox || changed.has('server') || changed.has('token') || changed.has('userToken')) {
      // Embed tokens have no inbox: the inbox settles that without a request for `twe_` tokens.
      const next = this.token ? LiveController.inbox({ server: this.server || SCRIPT_ORIGIN, token: this.token, userToken: this.userToken || null }) : null;
      if (next !== this.inbox) {
        this.inbox?.detach(this);
        this.inbox = next;
        next?.attach(this);
      }
    }
    if (this.open && !this.opened) {
      this.opened = true;
      this.loadTheChat();
    }
    if (changed.has('open') && changed.get('open') !== undefined) emit(this, 'taskwire-toggle', { open: this.open });
  }

  override render(): TemplateResult {
    const unread = this.inbox?.enabled ? this.inbox.unread : 0;
    return html`
      <button class="launcher" part="launcher" aria-expanded=${String(this.open)} aria-controls="panel" @click=${() => this.toggle()}>
        <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true"><rect x="3" y="4" width="7" height="16" rx="2" /><rect x="14" y="4" width="7" height="10" rx="2" /></svg>
        ${this.open ? 'Close' : this.label}
        ${unread ? html`<span class="unread" part="unread" data-count=${unread}>${unread > 99 ? '99+' : unread}<span class="sr-only"> unread</span></span>` : nothing}
      </button>
      ${this.opened
        ? html`<div id="panel" class="panel" part="panel" role="dialog" aria-label="Taskwire" ?hidden=${!this.open} @keydown=${(e: KeyboardEvent) => this.onKey(e)}>
            <div class="header" part="header">
              <span class="brand">Taskwire</span>
              <div role="tablist" aria-label="Views">
                ${this.renderTab('board', 'Board')} ${this.renderTab('chat', 'Chat')}
              </div>
              <button class="close" part="close" aria-label="Close" @click=${() => this.toggle(false)}>×</button>
            </div>
            <div class="content">
              <taskwire-board
                id="tab-board"
                role="tabpanel"
                part="board-element"
                exportparts=${BOARD_PARTS}
                ?hidden=${this.tab !== 'board'}
                theme=${this.theme ?? nothing}
                .server=${this.server}
                .project=${this.project}
                .token=${this.token}
                .userToken=${this.userToken}
              ></taskwire-board>
              <taskwire-chat
                id="tab-chat"
                role="tabpanel"
                part="chat-element"
                exportparts=${CHAT_PARTS}
                ?hidden=${this.tab !== 'chat'}
                theme=${this.theme ?? nothing}
                .server=${this.server}
                .project=${this.project}
                .room=${this.room}
                .token=${this.token}
                .userToken=${this.userToken}
                >${this.chatFailed
                  ? html`<p role="alert">The chat could not be loaded: the server may have been updated since this page opened. <button @click=${() => location.reload()}>Reload the page</button></p>`
                  : 'Loading the chat…'}</taskwire-chat
              >
            </div>
          </div>`
        : nothing}
    `;
  }

  private renderTab(tab: Tab, label: string): TemplateResult {
    const selected = this.tab === tab;
    return html`<button class="tab" part="tab${selected ? ' tab-selected' : ''}" role="tab" aria-selected=${String(selected)} aria-controls="tab-${tab}" tabindex=${selected ? 0 : -1} @click=${() => (this.tab = tab)} @keydown=${(e: KeyboardEvent) => this.onTabKey(e)}>${label}</button>`;
  }

  /** Opens, closes or flips the panel. */
  toggle(open = !this.open): void {
    this.open = open;
    if (!open) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.launcher')?.focus());
  }

  private onKey(e: KeyboardEvent): void {
    // Inside the board or the chat Escape belongs to them (cancel a move, close an editor).
    const origin = e.composedPath()[0];
    const header = this.renderRoot.querySelector('.header');
    if (e.key === 'Escape' && !e.defaultPrevented && (origin === e.currentTarget || (origin instanceof Node && header?.contains(origin)))) this.toggle(false);
  }

  private onTabKey(e: KeyboardEvent): void {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    this.tab = this.tab === 'board' ? 'chat' : 'board';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.tab[aria-selected=true]')?.focus());
  }
}
