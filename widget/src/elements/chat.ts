// <taskwire-chat>: rooms, history that follows the newest message and loads
// older pages upward (./chat-follow.ts), send, edit and delete own messages,
// tombstones, presence of members and badges for bridged messages, and the
// replies to `/task` commands that only their author sees.
// Every piece of user text goes through Lit text bindings; links are built from
// http(s) URLs only (format.ts).

import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { emit } from '../events.js';
import { avatar, fullTime, linkify, messageTime } from '../format.js';
import { MESSAGE, refusal } from '../limits.js';
import { ApiError } from '../rest.js';
import { theme } from '../styles.js';
import { canWrite, type MessageView, type PresenceState, type RoomView } from '../types.js';
import { ChatFollow } from './chat-follow.js';
import { chatStyles } from './chat-styles.js';
import { LiveElement } from './live-element.js';
import { stateLabel } from './status.js';

const STATE_ORDER: Record<string, number> = { active: 0, idle: 1, inactive: 2, offline: 3, unknown: 4 };
const SOURCE_LABEL: Record<MessageView['source'], string | null> = { web: null, api: 'API', slack: 'Slack', discord: 'Discord' };
/** Messages closer than this from the same author share one header. */
const GROUP_MS = 5 * 60_000;
/** A `/task` reply only this reader sees: never stored, gone on reload. */
interface OwnReply {
  room: string;
  ok: boolean;
  text: string;
}

export class TaskwireChat extends LiveElement {
  static override properties = {
    ...LiveElement.properties,
    room: { type: String },
    current: { state: true },
    menuFor: { state: true },
    editingId: { state: true },
    confirmDelete: { state: true },
    sending: { state: true },
    notice: { state: true },
    length: { state: true },
    failed: { state: true },
  };

  static override styles = [theme, chatStyles];

  /** Room to open first: its id or its name (default: general). */
  room = '';
  current: string | null = null;
  menuFor: string | null = null;
  editingId: string | null = null;
  confirmDelete: string | null = null;
  sending = false;
  notice: string | null = null;
  /** Characters in the composer, for its counter. */
  length = 0;
  /** Why the last send failed; its text stays in the composer for Retry. */
  failed: string | null = null;

  private readonly follow = new ChatFollow(this, () => {
    const room = this.currentRoom();
    if (room) void this.loadOlder(room.id);
  });
  private replies: OwnReply[] = [];
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('room')) this.current = null;
    const room = this.currentRoom();
    const items = (room && this.live?.store.histories.get(room.id)?.items) || [];
    this.follow.track(room?.id, items[0]?.id, items.at(-1)?.id);
  }

  /** The room shown: the chosen one, else the `room` attribute's, else general, else the first. */
  private currentRoom(): RoomView | null {
    const rooms = this.rooms();
    const byKey = (key: string | null) => (key ? (rooms.find((r) => r.id === key) ?? rooms.find((r) => r.name === key.replace(/^#/, ''))) : undefined);
    return byKey(this.current) ?? byKey(this.room) ?? rooms.find((r) => r.name === 'general') ?? rooms[0] ?? null;
  }

  private rooms(): RoomView[] {
    const rooms = [...(this.live?.store.rooms.values() ?? [])];
    return rooms.sort((a, b) => (a.name === 'general' ? -1 : b.name === 'general' ? 1 : a.name.localeCompare(b.name)));
  }

  protected override updated(): void {
    const live = this.live;
    const room = this.currentRoom();
    if (live?.ready && room && !live.store.histories.get(room.id)) {
      live.loadMessages(room.id).catch((error: unknown) => this.showNotice(error instanceof Error ? error.message : 'Messages could not be loaded.'));
    }
    this.follow.watch(this.renderRoot.querySelector('.messages'));
  }

  override render(): TemplateResult {
    const live = this.live;
    if (!this.project) return html`<div class="empty">Set the <code>project</code> attribute to show the chat.</div>`;
    const room = this.currentRoom();
    const state = live?.state ?? 'connecting';
    return html`
      <div class="chat" part="chat">
        <aside class="sidebar" part="sidebar">
          <h3>Rooms</h3>
          <ul class="rooms" part="rooms">
            ${this.rooms().map(
              (r) => html`<li>
                <button class="room ${r.id === room?.id ? 'current' : ''}" part="room" aria-current=${r.id === room?.id ? 'true' : 'false'} @click=${() => this.openRoom(r.id)}>
                  <span aria-hidden="true">${r.private ? '🔒' : '#'}</span> ${r.name}
                </button>
              </li>`,
            )}
          </ul>
          <h3>People</h3>
          <ul class="people" part="people">${this.renderPeople()}</ul>
        </aside>
        <section class="main" part="main">
          <header class="toolbar" part="toolbar">
            <div class="room-title">
              <strong>${room ? `${room.private ? '' : '#'}${room.name}` : 'Chat'}</strong>
              ${room?.topic ? html`<span class="topic">${room.topic}</span>` : nothing}
            </div>
            <span class="status" part="status" data-state=${state} role="status">${stateLabel(state)}</span>
          </header>
          ${live?.problem && (!live.ready || live.state === 'unauthorized' || live.state === 'error') ? html`<div class="problem" part="problem" role="alert">${live.problem}</div>` : nothing}
          ${room ? this.renderHistory(room) : live?.ready ? html`<div class="empty">No rooms yet.</div>` : html`<div class="empty">Loading…</div>`}
          ${this.follow.unseen ? html`<button class="btn primary jump" part="new-messages" @click=${() => this.follow.jump()}>New messages ↓</button>` : nothing}
          ${room ? this.renderComposer(room) : nothing}
        </section>
        ${this.notice ? html`<div class="notice" part="notice" role="alert">${this.notice}</div>` : nothing}
      </div>
    `;
  }

  /**
   * What the page knows of someone's presence: while it is itself disconnected, nothing about others (a stale
   * "active" would be a guess), so they read "unknown" until it is back and has read presence again.
   */
  private presenceOf(userId: string): PresenceState | 'unknown' {
    const live = this.live!;
    const cut = live.state === 'reconnecting' || live.state === 'error' || live.state === 'unauthorized';
    return cut && userId !== live.me?.id ? 'unknown' : (live.store.presence.get(userId) ?? 'offline');
  }

  private renderPeople(): TemplateResult[] {
    const store = this.live?.store;
    if (!store) return [];
    const people = [...store.members.values()].map((m) => ({ ...m, state: this.presenceOf(m.userId) }));
    people.sort((a, b) => STATE_ORDER[a.state]! - STATE_ORDER[b.state]! || a.name.localeCompare(b.name));
    return people.map(
      (p) => html`<li class="person" data-user=${p.userId}>
        <span class="dot" part="presence presence-${p.state}" data-state=${p.state} title=${p.state} role="img" aria-label=${p.state}></span>
        <span class="person-name">${p.name}${p.userId === this.live?.me?.id ? ' (you)' : ''}</span>
      </li>`,
    );
  }

  private renderHistory(room: RoomView): TemplateResult {
    const live = this.live!;
    const history = live.store.histories.get(room.id);
    const items = history?.items ?? [];
    return html`
      <div class="messages" part="messages" role="log" tabindex="0" aria-label="Messages in ${room.name}" @scroll=${() => this.follow.scrolled()} @keydown=${(e: KeyboardEvent) => this.onMenuKey(e)}>
        <div>
          ${history?.nextCursor
            ? html`<p class="start" part="load-older">${history.loading ? 'Loading older messages…' : 'Scroll up for older messages'}</p>`
            : history?.loaded && items.length
              ? html`<p class="start">This is the start of #${room.name}.</p>`
              : nothing}
          ${history?.loaded && !items.length ? html`<p class="empty">No messages yet. Say hello!</p>` : nothing}
          ${!history?.loaded ? html`<p class="empty">Loading messages…</p>` : nothing}
          <ol class="message-list">
            ${repeat(
              items,
              (m) => m.id,
              (m, i) => this.renderMessage(m, items[i - 1]),
            )}
          </ol>
          ${this.replies.filter((r) => r.room === room.id).map((r) => html`<p class="own-reply ${r.ok ? '' : 'refused'}" part="command-reply"><b>Only you can see this</b><span class="text">${r.text}</span></p>`)}
        </div>
      </div>
    `;
  }

  private renderMessage(m: MessageView, previous: MessageView | undefined): TemplateResult {
    const store = this.live!.store;
    const name = m.authorName ?? store.nameOf(m.authorId);
    const me = this.live?.me;
    // Every visitor of an anonymous embed is the same guest: the server lets none of them edit or delete.
    const own = !!me && m.authorId === me.id && me.embed?.identity !== 'anonymous';
    const deleted = !!m.deletedAt;
    const grouped =
      !!previous && previous.authorId === m.authorId && !previous.deletedAt && !deleted && previous.source === m.source && Date.parse(m.createdAt) - Date.parse(previous.createdAt) < GROUP_MS;
    const badge = SOURCE_LABEL[m.source];
    const state = this.presenceOf(m.authorId);
    const canAct = own && !deleted && canWrite(store.role);
    return html`
      <li class="message ${grouped ? 'grouped' : ''} ${deleted ? 'deleted' : ''} ${own ? 'own' : ''}" part="message${own ? ' message-own' : ''}" data-id=${m.id} data-author=${m.authorId}>
        <div class="gutter">${grouped ? html`<time class="hover-time" datetime=${m.createdAt} title=${fullTime(m.createdAt)}>${messageTime(m.createdAt)}</time>` : avatar(m.authorId, name)}</div>
        <div class="body">
          ${grouped
            ? nothing
            : html`<div class="byline">
                <span class="author" part="author">${name}</span>
                ${store.members.has(m.authorId) ? html`<span class="dot small" data-state=${state} title=${state}></span>` : nothing}
                ${badge ? html`<span class="badge source-${m.source}" part="badge badge-${m.source}">${badge}</span>` : nothing}
                <time datetime=${m.createdAt} title=${fullTime(m.createdAt)}>${messageTime(m.createdAt)}</time>
              </div>`}
          ${deleted
            ? html`<div class="text tombstone" part="tombstone">message deleted</div>`
            : this.editingId === m.id
              ? this.renderEdit(m)
              : html`<div class="text" part="text">${linkify(m.text)}${m.editedAt ? html` <span class="edited" title=${fullTime(m.editedAt)}>(edited)</span>` : nothing}</div>`}
          ${this.confirmDelete === m.id
            ? html`<div class="confirm" role="alertdialog" aria-label="Delete this message?">
                Delete this message?
                <button class="btn danger confirm-delete" @click=${() => this.deleteMessage(m)}>Delete</button>
                <button class="btn ghost" @click=${() => (this.confirmDelete = null)}>Cancel</button>
              </div>`
            : nothing}
        </div>
        ${canAct && this.editingId !== m.id ? this.renderActions(m) : nothing}
      </li>
    `;
  }

  private renderActions(m: MessageView): TemplateResult {
    const open = this.menuFor === m.id;
    return html`
      <div class="actions ${open ? 'open' : ''}">
        <button class="menu-button" part="message-menu-button" aria-haspopup="menu" aria-expanded=${String(open)} aria-label="Message actions" @click=${() => this.toggleMenu(m.id)}>⋯</button>
        ${open
          ? html`<div class="menu" role="menu" part="message-menu">
              <button role="menuitem" class="edit" @click=${() => this.startEdit(m)}>Edit</button>
              <button role="menuitem" class="delete" @click=${() => this.askDelete(m)}>Delete</button>
            </div>`
          : nothing}
      </div>
    `;
  }

  private renderEdit(m: MessageView): TemplateResult {
    return html`<form class="edit-form" @submit=${(e: Event) => this.saveEdit(e, m)}>
      <textarea
        name="text"
        aria-label="Edit message"
        .value=${m.text}
        @keydown=${(e: KeyboardEvent) => {
          if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            (e.target as HTMLTextAreaElement).form?.requestSubmit();
          } else if (e.key === 'Escape') {
            e.stopPropagation();
            this.editingId = null;
          }
        }}
      ></textarea>
      <div class="row">
        <button class="btn primary" type="submit">Save</button>
        <button class="btn ghost" type="button" @click=${() => (this.editingId = null)}>Cancel</button>
        <span class="hint">Enter to save · Esc to cancel</span>
      </div>
    </form>`;
  }

  private renderComposer(room: RoomView): TemplateResult {
    if (!canWrite(this.live?.store.role)) {
      return html`<p class="read-only" part="read-only">You can read this room but not post in it.</p>`;
    }
    // No maxlength: a long paste is never cut silently; the counter shows near the limit and sending says why not.
    const length = this.length;
    return html`<form class="composer" part="composer" @submit=${(e: Event) => this.send(e, room)}>
      ${this.failed ? html`<p class="send-error" part="send-error" role="alert">${this.failed} <button class="btn ghost" type="submit">Retry</button></p>` : nothing}
      <textarea
        name="text"
        rows="1"
        placeholder="Message #${room.name}"
        aria-label="Message #${room.name}"
        aria-describedby="counter"
        @input=${(e: Event) => (this.length = (e.target as HTMLTextAreaElement).value.length)}
        @keydown=${(e: KeyboardEvent) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            (e.target as HTMLTextAreaElement).form?.requestSubmit();
          }
        }}
      ></textarea>
      <span id="counter" class="counter ${length > MESSAGE.max ? 'over' : ''}" part="counter" aria-live="polite">${length > MESSAGE.max * 0.9 ? `${length} / ${MESSAGE.max}` : ''}</span>
      <button class="btn primary" part="send-button" type="submit" ?disabled=${this.sending}>Send</button>
    </form>`;
  }

  // ---- actions

  private openRoom(roomId: string): void {
    this.current = roomId;
    this.menuFor = null;
    this.editingId = null;
  }

  private async loadOlder(roomId: string): Promise<void> {
    try {
      const pending = this.live!.loadMessages(roomId, true);
      this.requestUpdate();
      await pending;
    } catch (error) {
      this.showNotice(error instanceof Error ? error.message : 'Older messages could not be loaded.');
    }
  }

  /** The text stays in the composer until the server has it; a refusal says why next to it, with Retry. */
  private async send(e: Event, room: RoomView): Promise<void> {
    e.preventDefault();
    const field = (e.currentTarget as HTMLFormElement).querySelector('textarea')!;
    const text = field.value;
    if (!text.trim() || this.sending) return;
    this.failed = refusal(text, MESSAGE);
    if (this.failed) return;
    const live = this.live!;
    this.sending = true;
    try {
      const message: MessageView & { commandReply?: { ok: boolean; text: string } } = await live.rest.postMessage(room.id, text);
      // What was typed while it was on its way stays.
      if (field.value === text) field.value = '';
      this.length = field.value.length;
      live.store.upsertMessage(message);
      if (message.commandReply) this.replies.push({ room: room.id, ...message.commandReply });
      this.follow.jump();
      live.applyLocal({ kind: 'message', id: message.id });
      emit(this, 'taskwire-message-sent', { message });
    } catch (error) {
      this.failed = `Not sent: ${error instanceof Error ? error.message : 'the server could not be reached'}.`;
      this.showError(error, false);
    } finally {
      this.sending = false;
      field.focus();
    }
  }

  private toggleMenu(id: string): void {
    this.menuFor = this.menuFor === id ? null : id;
    if (this.menuFor) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.menu [role=menuitem]')?.focus());
  }

  /** Arrow keys inside an open menu, Escape closes it (back to its button). */
  private onMenuKey(e: KeyboardEvent): void {
    if (!this.menuFor) return;
    const items = [...this.renderRoot.querySelectorAll<HTMLElement>('.menu [role=menuitem]')];
    const index = items.indexOf(this.shadowRoot?.activeElement as HTMLElement);
    if (e.key === 'Escape') {
      const id = this.menuFor;
      this.menuFor = null;
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`.message[data-id="${CSS.escape(id)}"] .menu-button`)?.focus());
    } else if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && index >= 0) {
      e.preventDefault();
      items[(index + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
    }
  }

  private async startEdit(m: MessageView): Promise<void> {
    this.menuFor = null;
    this.editingId = m.id;
    await this.updateComplete;
    const field = this.renderRoot.querySelector<HTMLTextAreaElement>('.edit-form textarea');
    field?.focus();
    field?.setSelectionRange(field.value.length, field.value.length);
  }

  private async saveEdit(e: Event, m: MessageView): Promise<void> {
    e.preventDefault();
    const text = String(new FormData(e.target as HTMLFormElement).get('text') ?? '');
    if (!text.trim()) return;
    const refused = refusal(text, MESSAGE);
    if (refused) return this.showNotice(refused);
    if (text === m.text) return void (this.editingId = null);
    const live = this.live!;
    try {
      const updated = await live.rest.editMessage(m.id, text);
      live.store.upsertMessage(updated);
      this.editingId = null;
      live.applyLocal({ kind: 'message', id: m.id });
    } catch (error) {
      this.showError(error);
    }
  }

  private askDelete(m: MessageView): void {
    this.menuFor = null;
    this.confirmDelete = m.id;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.confirm-delete')?.focus());
  }

  private async deleteMessage(m: MessageView): Promise<void> {
    const live = this.live!;
    this.confirmDelete = null;
    try {
      await live.rest.deleteMessage(m.id);
      live.store.upsertMessage({ ...m, text: '', deletedAt: new Date().toISOString() });
      live.applyLocal({ kind: 'message', id: m.id });
    } catch (error) {
      this.showError(error);
    }
  }

  private showNotice(text: string): void {
    this.notice = text;
    clearTimeout(this.noticeTimer);
    this.noticeTimer = setTimeout(() => (this.notice = null), 4500);
  }

  /** Tells the page (`taskwire-error`) and, unless the error is already shown where it happened, the reader. */
  private showError(error: unknown, toast = true): void {
    const message = error instanceof Error ? error.message : 'Something went wrong.';
    if (toast) this.showNotice(message);
    emit(this, 'taskwire-error', { code: error instanceof ApiError ? error.code : 'error', message });
  }
}
