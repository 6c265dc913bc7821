// <taskwire-board>: the project's columns and cards, live. Create, edit and
// delete tasks; move them by drag and drop or by keyboard (Space to pick up,
// arrows to move, Space/Enter to drop, Escape to cancel), optimistically, with a
// rollback when the server says someone else changed the task first. The task
// editor (./task-editor.ts) and the keyboard moves (./board-keys.ts) are helpers
// of their own; what they need of the board is public on it for them.
//
// Big boards: each column is loaded a page at a time (./live.ts loadMore) and a
// column of more than VIRTUAL_MIN cards renders only the rows near its
// viewport, on fixed-height rows, with padding standing in for the others.

import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { emit } from '../events.js';
import { avatar, dueLabel, fullTime, isOverdue } from '../format.js';
import type { LiveController } from '../live.js';
import { ApiError, conflictTask, type TaskInput } from '../rest.js';
import { localKey } from '../store.js';
import { theme } from '../styles.js';
import { canWrite, type TaskView } from '../types.js';
import { BoardKeys, type Grab } from './board-keys.js';
import { boardStyles } from './board-styles.js';
import { LiveElement } from './live-element.js';
import { stateLabel } from './status.js';
import type { TaskEditor } from './task-editor.js';

declare const TASK_EDITOR_CHUNK: string;

const TASK_MIME = 'application/x-taskwire-task';
/** A virtual row: the card's fixed height (board-styles.ts) and the gap under it. */
const ROW = 94;
/** Columns up to this many cards render them all, at their natural height. */
const VIRTUAL_MIN = 60;
/** Rows rendered beyond each edge of a column's viewport. */
const OVERSCAN = 8;

export class TaskwireBoard extends LiveElement {
  static override properties = {
    ...LiveElement.properties,
    filter: { state: true },
    adding: { state: true },
    notice: { state: true },
    announcement: { state: true },
    grab: { state: true },
    dragId: { state: true },
    dropAt: { state: true },
  };

  static override styles = [theme, boardStyles];

  filter = '';
  /** The column whose quick-add box is open. */
  adding: string | null = null;
  notice: string | null = null;
  announcement = '';
  grab: Grab | null = null;
  dragId: string | null = null;
  /** `index` among the shown cards (for the indicator), `fullIndex` among all of the column's (for the move). */
  dropAt: { status: string; index: number; fullIndex: number } | null = null;

  private readonly flashing = new Set<string>();
  /** Each virtual column's scroll offset and viewport height. */
  private readonly views = new Map<string, { top: number; height: number }>();
  /** Columns loaded from their end that were scrolled there once (a new run is a new object). */
  private readonly pinned = new WeakSet<object>();
  private filterTimer: ReturnType<typeof setTimeout> | undefined;
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;
  private unlisten: (() => void) | null = null;
  /** Fetched on first use (a chunk beside /widget.js): most visitors never open it. */
  private editor: TaskEditor | null = null;
  private readonly keys = new BoardKeys(this);

  protected override liveChanged(live: LiveController): void {
    this.unlisten?.();
    this.unlisten = live.onChange((batch) => {
      if (!live.ready) return;
      for (const t of batch) {
        if (t.kind === 'plugin') this.editor?.pluginsChanged(live);
        if (t.kind !== 'task' || !t.id || live.isLocalWrite(t.id) || !live.store.tasks.has(t.id)) continue;
        this.flashing.add(t.id);
        setTimeout(() => {
          this.flashing.delete(t.id!);
          this.requestUpdate();
        }, 1600);
      }
    });
  }

  override disconnectedCallback(): void {
    this.unlisten?.();
    this.unlisten = null;
    super.disconnectedCallback();
  }

  get writable(): boolean {
    return canWrite(this.live?.store.role);
  }

  // ---- rendering

  protected override updated(): void {
    // Measured a frame later: a re-render it asks for must not chain on in the same task.
    requestAnimationFrame(() => {
      for (const ol of this.renderRoot.querySelectorAll<HTMLElement>('.virtual .cards')) {
        const col = this.live?.store.cols.get(ol.dataset.status!);
        // Done opens at its end, where the newest completions are.
        if (col?.fromEnd && !this.pinned.has(col)) {
          this.pinned.add(col);
          ol.scrollTop = ol.scrollHeight;
        }
        this.onScroll(ol);
      }
    });
    if (this.grab) void this.focusCard(this.grab.id);
  }

  /** The rows a virtual column renders for its scroll offset and height. */
  private rows(status: string, size: number): [number, number] {
    const { top, height } = this.views.get(status) ?? { top: 0, height: 600 };
    return [Math.max(0, Math.floor(top / ROW) - OVERSCAN), Math.min(size, Math.ceil((top + height) / ROW) + OVERSCAN)];
  }

  private onScroll(ol: HTMLElement): void {
    const status = ol.dataset.status!;
    const size = this.extent(status).size;
    const before = this.rows(status, size).join();
    this.views.set(status, { top: ol.scrollTop, height: ol.clientHeight });
    if (this.rows(status, size).join() !== before) this.requestUpdate();
  }

  override render(): TemplateResult {
    const live = this.live;
    if (!this.project) return html`<div class="empty" part="empty">Set the <code>project</code> attribute to show a board.</div>`;
    const store = live?.store;
    const project = store?.project;
    return html`
      <div class="board" part="board">
        <header class="toolbar" part="toolbar">
          <h2 class="title" part="title">${project?.name ?? 'Board'}</h2>
          <input class="filter" part="filter" type="search" placeholder="Filter tasks" aria-label="Filter tasks" .value=${this.filter} @input=${(e: Event) => this.onFilter((e.target as HTMLInputElement).value)} />
          <span class="status" part="status" data-state=${live?.state ?? 'connecting'} role="status">${stateLabel(live?.state ?? 'connecting')}</span>
        </header>
        ${live?.problem && (!live.ready || live.state === 'unauthorized' || live.state === 'error') ? html`<div class="problem" part="problem" role="alert">${live.problem}</div>` : nothing}
        ${project
          ? html`<div class="columns" part="columns">${project.columns.map((column) => this.renderColumn(column.key, column.name))}</div>`
          : live?.problem
            ? nothing
            : html`<div class="empty">Loading…</div>`}
        <div class="sr-only" aria-live="assertive" aria-atomic="true">${this.announcement}</div>
        ${this.notice ? html`<div class="notice" part="notice" role="alert">${this.notice}</div>` : nothing}
        ${this.editor?.render() ?? nothing}
      </div>
    `;
  }

  /** The filter runs on the server (`#label` and words), shortly after typing stops. */
  private onFilter(text: string): void {
    this.filter = text;
    clearTimeout(this.filterTimer);
    this.filterTimer = setTimeout(() => {
      const label = /(?:^|\s)#(\S+)/.exec(text)?.[1];
      const q = text.replace(/(?:^|\s)#\S+/, ' ').trim();
      void this.live?.setFilter({ q: q || undefined, label }).catch((error: unknown) => this.showError(error));
    }, 250);
  }

  /** The loaded cards of a column as shown, with a keyboard-grabbed card at its preview place. */
  cardsOf(status: string): TaskView[] {
    const store = this.live!.store;
    let list = store.column(status);
    const grab = this.grab;
    if (grab) {
      const grabbed = store.tasks.get(grab.id);
      list = list.filter((t) => t.id !== grab.id);
      if (grabbed && grab.status === status) list.splice(Math.min(grab.index, list.length), 0, grabbed);
    }
    return list;
  }

  /** How many cards a column holds (loaded or not), and the place of its first loaded one among them. */
  extent(status: string, cards = this.cardsOf(status)): { size: number; offset: number } {
    const col = this.live!.store.cols.get(status);
    const size = col?.cursor ? Math.max(col.total, cards.length) : cards.length;
    return { size, offset: col?.fromEnd ? size - cards.length : 0 };
  }

  private renderColumn(status: string, name: string): TemplateResult {
    const cards = this.cardsOf(status);
    const { size, offset } = this.extent(status, cards);
    const virtual = size > VIRTUAL_MIN;
    const [first, last] = virtual ? this.rows(status, size) : [0, size];
    const drop = this.dropAt?.status === status ? this.dropAt.index : -1;
    // Rows not loaded yet show as empty cards while their page comes.
    const items: (TaskView | number | 'drop')[] = [];
    for (let i = first; i < last; i++) items.push(cards[i - offset] ?? i);
    if (items.some((t) => typeof t === 'number')) {
      const far = Math.max(first - offset, last - offset - cards.length) > 100;
      queueMicrotask(() => void this.live?.loadMore(status, far ? 200 : 100).catch(() => undefined));
    }
    // The dragged card stays in the DOM (hidden by CSS) so the browser still ends its drag; the indicator
    // goes before the drop-th other card shown.
    if (drop >= 0) {
      let seen = 0;
      let at = items.length;
      for (let i = 0; i < items.length; i++) {
        const t = items[i] as TaskView;
        if (typeof t !== 'object' || t.id === this.dragId) continue;
        if (seen === drop) {
          at = i;
          break;
        }
        seen++;
      }
      items.splice(at, 0, 'drop');
    }
    return html`
      <section
        class="column ${drop >= 0 ? 'drop-target' : ''} ${virtual ? 'virtual' : ''}"
        part="column"
        data-status=${status}
        aria-label=${name}
        @dragover=${(e: DragEvent) => this.onDragOver(e, status)}
        @dragleave=${(e: DragEvent) => this.onDragLeave(e)}
        @drop=${(e: DragEvent) => this.onDrop(e, status)}
      >
        <header class="column-header" part="column-header">
          <h3>${name}</h3>
          <span class="count" aria-label="${size} tasks">${size}</span>
        </header>
        <ol class="cards" role="list" data-status=${status} @scroll=${(e: Event) => this.onScroll(e.currentTarget as HTMLElement)}>
          ${virtual ? gap(first) : nothing}
          ${repeat(
            items,
            (t) => (t === 'drop' ? '' : typeof t === 'number' ? t : t.id),
            (t, i) =>
              t === 'drop'
                ? html`<li class="drop-indicator" aria-hidden="true"></li>`
                : typeof t === 'number'
                  ? html`<li class="card ghost" aria-hidden="true"></li>`
                  : this.renderCard(t, first + i + 1 - (drop >= 0 && i > items.indexOf('drop') ? 1 : 0), size),
          )}
          ${virtual ? gap(size - last) : nothing}
        </ol>
        ${size === 0 && drop < 0 ? html`<p class="column-empty">No tasks</p>` : nothing}
        ${this.writable ? this.renderAdd(status) : nothing}
      </section>
    `;
  }

  private renderCard(task: TaskView, place: number, size: number): TemplateResult {
    const store = this.live!.store;
    const assignee = task.assigneeId ? store.nameOf(task.assigneeId) : null;
    const overdue = isOverdue(task.dueAt, task.completedAt);
    const grabbed = this.grab?.id === task.id;
    const classes = ['card', grabbed ? 'grabbed' : '', this.dragId === task.id ? 'dragging' : '', this.flashing.has(task.id) ? 'flash' : ''].join(' ');
    return html`
      <li
        class=${classes}
        part="card${grabbed ? ' card-grabbed' : ''}"
        data-id=${task.id}
        tabindex="0"
        aria-posinset=${place}
        aria-setsize=${size}
        draggable=${this.writable ? 'true' : 'false'}
        aria-roledescription=${this.writable ? 'draggable task' : 'task'}
        aria-grabbed=${this.writable ? String(grabbed) : nothing}
        aria-label="${task.title}${task.dueAt ? `, due ${dueLabel(task.dueAt)}${overdue ? ', overdue' : ''}` : ''}${assignee ? `, assigned to ${assignee}` : ''}"
        @dragstart=${(e: DragEvent) => this.onDragStart(e, task)}
        @dragend=${() => this.onDragEnd()}
        @keydown=${(e: KeyboardEvent) => this.keys.onCardKey(e, task)}
        @click=${() => this.openEditor(task)}
        @focusout=${() => this.grab?.id === task.id && this.keys.onGrabbedBlur()}
      >
        <div class="card-title" part="card-title">${task.title}</div>
        ${task.labels.length ? html`<ul class="labels" aria-label="Labels">${task.labels.map((l) => html`<li class="label" part="label">${l}</li>`)}</ul>` : nothing}
        <div class="card-meta">
          <span class="number">#${task.number}</span>
          ${task.dueAt
            ? html`<span class="due ${overdue ? 'overdue' : ''}" part="due${overdue ? ' overdue' : ''}" title=${fullTime(task.dueAt)}>${overdue ? 'Overdue · ' : ''}${dueLabel(task.dueAt)}</span>`
            : nothing}
          <span class="spacer"></span>
          ${task.assigneeId && assignee ? avatar(task.assigneeId, assignee) : nothing}
        </div>
      </li>
    `;
  }

  private renderAdd(status: string): TemplateResult {
    if (this.adding !== status) {
      return html`<button class="add" part="add-button" @click=${() => this.openAdd(status)}>+ Add task</button>`;
    }
    return html`
      <form class="quick-add" part="quick-add" @submit=${(e: Event) => this.submitAdd(e, status)}>
        <textarea
          rows="2"
          maxlength="200"
          placeholder="Task title"
          aria-label="New task title"
          @keydown=${(e: KeyboardEvent) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              (e.target as HTMLTextAreaElement).form?.requestSubmit();
            } else if (e.key === 'Escape') this.adding = null;
          }}
        ></textarea>
        <div class="row">
          <button class="btn primary" type="submit">Add</button>
          <button class="btn ghost" type="button" @click=${() => (this.adding = null)}>Cancel</button>
          <span class="spacer"></span>
          <button class="btn ghost" type="button" title="More fields" @click=${() => this.openNew(status)}>Details…</button>
        </div>
      </form>
    `;
  }

  // ---- create, edit, delete

  private openAdd(status: string): void {
    this.adding = status;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLTextAreaElement>('.quick-add textarea')?.focus());
  }

  private async submitAdd(e: Event, status: string): Promise<void> {
    e.preventDefault();
    const field = (e.target as HTMLFormElement).querySelector('textarea')!;
    const title = field.value.trim();
    if (!title) return;
    field.value = '';
    await this.create({ title, status });
    field.focus();
  }

  async create(input: TaskInput & { title: string }): Promise<boolean> {
    const live = this.live!;
    try {
      const task = await live.rest.createTask(live.projectId, input);
      live.store.upsertTask(task);
      live.applyLocal({ kind: 'task', id: task.id });
      emit(this, 'taskwire-task-created', { task });
      return true;
    } catch (error) {
      this.showError(error);
      return false;
    }
  }

  private openNew(status: string): void {
    this.adding = null;
    void this.withEditor((editor) => editor.openNew(status));
  }

  openEditor(task: TaskView): void {
    if (this.grab || this.dragId) return;
    void this.withEditor((editor) => editor.open(task));
  }

  private async withEditor(use: (editor: TaskEditor) => void): Promise<void> {
    try {
      // widget/build.ts names the editor's file (a path beside widget.js, with its content's hash).
      const url = new URL(TASK_EDITOR_CHUNK, import.meta.url).href;
      const { TaskEditor } = (await import(url)) as typeof import('./task-editor.js');
      this.editor ??= new TaskEditor(this);
    } catch {
      // Most likely a server updated since this page loaded: the chunk's name changed.
      this.showNotice('The task editor could not be loaded; reload the page.');
      return;
    }
    use(this.editor);
  }

  /**
   * Focuses a card after the next render (a card that changed column is a new element), scrolling its column
   * to it first when it is not rendered (a virtual column renders the rows near its viewport only).
   */
  async focusCard(id: string): Promise<void> {
    await this.updateComplete;
    const card = this.renderRoot.querySelector<HTMLElement>(`.card[data-id="${CSS.escape(id)}"]`);
    if (card) {
      if (this.shadowRoot?.activeElement !== card) card.focus();
      return card.scrollIntoView({ block: 'nearest' });
    }
    const status = this.live?.store.tasks.get(id)?.status ?? this.grab?.status;
    const ol = this.renderRoot.querySelector<HTMLElement>(`.cards[data-status="${status}"]`);
    const cards = status ? this.cardsOf(status) : [];
    const index = cards.findIndex((t) => t.id === id);
    if (!ol || index < 0) return;
    ol.scrollTop = (index + this.extent(status!, cards).offset) * ROW - ol.clientHeight / 2;
    this.onScroll(ol);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`.card[data-id="${CSS.escape(id)}"]`)?.focus();
  }

  // ---- moving

  /**
   * Puts `taskId` at `index` of column `status` (index among the column's other loaded tasks; Infinity: the
   * column's very end, loaded or not): optimistic, then the server, with the loaded neighbours' ids (or none for
   * the end), so a place among cards never loaded is found by the server.
   */
  async move(taskId: string, status: string, index: number): Promise<void> {
    const live = this.live!;
    const store = live.store;
    const task = store.tasks.get(taskId);
    if (!task) return;
    const others = store.column(status).filter((t) => t.id !== taskId);
    const at = Math.max(0, Math.min(index, others.length));
    const after = others[at - 1] ?? null;
    const before = others[at] ?? null;
    const current = store.column(task.status);
    const currentIndex = current.findIndex((t) => t.id === taskId);
    if (task.status === status && currentIndex === at && index !== Infinity) return;
    // Optimistic: a local key between the new neighbours, for ordering only (the server assigns the real one).
    store.putTask({ ...task, status, position: localKey(after?.position ?? null, before?.position ?? null) });
    live.applyLocal({ kind: 'task', id: taskId });
    const moveInput = index === Infinity ? { status, afterId: null, beforeId: null } : { status, afterId: after?.id ?? null, beforeId: before?.id ?? null };
    try {
      const moved = await live.writing(taskId, () => live.rest.moveTask(taskId, { ...moveInput, version: task.version }));
      store.upsertTask(moved);
      live.applyLocal({ kind: 'task', id: taskId });
      emit(this, 'taskwire-task-moved', { task: moved, from: { status: task.status }, to: moveInput });
    } catch (error) {
      // Back to what it was, unless newer news about it came in meanwhile.
      if (store.tasks.get(taskId)?.version === task.version) store.putTask(task);
      const latest = conflictTask(error);
      if (latest) store.upsertTask(latest);
      live.applyLocal({ kind: 'task', id: taskId });
      const message = latest ? `“${task.title}” was changed by someone else first, so it was put back.` : error instanceof Error ? error.message : 'The move failed.';
      this.showNotice(message);
      this.announce(message);
      emit(this, 'taskwire-task-move-failed', { taskId, code: error instanceof ApiError ? error.code : 'error', message });
    }
  }

  private onDragStart(e: DragEvent, task: TaskView): void {
    if (!this.writable || !e.dataTransfer) return void e.preventDefault();
    e.dataTransfer.effectAllowed = 'move';
    e.dataTransfer.setData(TASK_MIME, task.id);
    e.dataTransfer.setData('text/plain', task.title);
    // Let the browser take its drag image before the card fades.
    requestAnimationFrame(() => (this.dragId = task.id));
  }

  private onDragEnd(): void {
    this.dragId = null;
    this.dropAt = null;
  }

  private onDragOver(e: DragEvent, status: string): void {
    if (!this.writable || !e.dataTransfer?.types.includes(TASK_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
    const column = e.currentTarget as HTMLElement;
    const cards = [...column.querySelectorAll<HTMLElement>('.card[data-id]')].filter((c) => c.dataset.id !== this.dragId);
    let index = cards.length;
    for (let i = 0; i < cards.length; i++) {
      const box = cards[i]!.getBoundingClientRect();
      if (e.clientY < box.top + box.height / 2) {
        index = i;
        break;
      }
    }
    // Filtered views hide cards: translate the visible index to the column's own.
    const visibleIds = cards.map((c) => c.dataset.id!);
    const full = this.live!.store.column(status).filter((t) => t.id !== this.dragId);
    const anchor = visibleIds[index];
    const fullIndex = anchor ? full.findIndex((t) => t.id === anchor) : visibleIds.length ? full.findIndex((t) => t.id === visibleIds.at(-1)) + 1 : full.length;
    if (this.dropAt?.status !== status || this.dropAt.index !== index) this.dropAt = { status, index, fullIndex };
  }

  private onDragLeave(e: DragEvent): void {
    const column = e.currentTarget as HTMLElement;
    if (e.relatedTarget instanceof Node && column.contains(e.relatedTarget)) return;
    if (this.dropAt?.status === column.dataset.status) this.dropAt = null;
  }

  private onDrop(e: DragEvent, status: string): void {
    const id = e.dataTransfer?.getData(TASK_MIME);
    if (!id || !this.writable) return;
    e.preventDefault();
    const index = this.dropAt?.status === status ? this.dropAt.fullIndex : Number.MAX_SAFE_INTEGER;
    this.dragId = null;
    this.dropAt = null;
    void this.move(id, status, index);
  }

  // ---- notices

  announce(text: string): void {
    // Re-setting the same text would not be announced again.
    this.announcement = this.announcement === text ? `${text} ` : text;
  }

  private showNotice(text: string): void {
    this.notice = text;
    clearTimeout(this.noticeTimer);
    this.noticeTimer = setTimeout(() => (this.notice = null), 4500);
  }

  private showError(error: unknown): void {
    const message = error instanceof Error ? error.message : 'Something went wrong.';
    this.showNotice(message);
    emit(this, 'taskwire-error', { code: error instanceof ApiError ? error.code : 'error', message });
  }
}

/** Stands in for `rows` rows not rendered (the list's own 6px gap follows it). */
const gap = (rows: number): TemplateResult => html`<li aria-hidden="true" style="flex:none;height:${Math.max(0, rows * ROW - 6)}px"></li>`;
