// <taskwire-board>: the project's columns and cards, live. Create, edit and
// delete tasks; move them by drag and drop or by keyboard (Space to pick up,
// arrows to move, Space/Enter to drop, Escape to cancel), optimistically, with a
// rollback when the server says someone else changed the task first. The task
// editor (./task-editor.ts) and the keyboard moves (./board-keys.ts) are helpers
// of their own; what they need of the board is public on it for them.

import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
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
import { TaskEditor } from './task-editor.js';

const TASK_MIME = 'application/x-taskwire-task';

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
  private rects = new Map<string, DOMRect>();
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;
  private unlisten: (() => void) | null = null;
  private readonly editor = new TaskEditor(this);
  private readonly keys = new BoardKeys(this);

  protected override liveChanged(live: LiveController): void {
    this.unlisten?.();
    this.unlisten = live.onChange((batch) => {
      if (!live.ready) return;
      for (const t of batch) {
        if (t.kind === 'plugin') this.editor.pluginsChanged(live);
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

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    // FLIP, first half: where every card is before this update.
    this.rects = new Map();
    if (!this.hasUpdated || this.dragId || reducedMotion()) return;
    for (const card of this.renderRoot.querySelectorAll<HTMLElement>('.card[data-id]')) this.rects.set(card.dataset.id!, card.getBoundingClientRect());
  }

  protected override updated(): void {
    // FLIP, second half: cards that moved slide from where they were.
    for (const card of this.renderRoot.querySelectorAll<HTMLElement>('.card[data-id]')) {
      const before = this.rects.get(card.dataset.id!);
      if (!before) continue;
      const after = card.getBoundingClientRect();
      const dx = before.left - after.left;
      const dy = before.top - after.top;
      if (Math.abs(dx) > 1 || Math.abs(dy) > 1) {
        card.animate([{ transform: `translate(${dx}px, ${dy}px)` }, { transform: 'none' }], { duration: 220, easing: 'cubic-bezier(.2,.7,.3,1)' });
      }
    }
    if (this.grab) {
      const card = this.renderRoot.querySelector<HTMLElement>(`.card[data-id="${CSS.escape(this.grab.id)}"]`);
      if (card && this.shadowRoot?.activeElement !== card) card.focus();
    }
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
          <input class="filter" part="filter" type="search" placeholder="Filter tasks" aria-label="Filter tasks" .value=${this.filter} @input=${(e: Event) => (this.filter = (e.target as HTMLInputElement).value)} />
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
        ${this.editor.render()}
      </div>
    `;
  }

  /** The cards of a column as shown: filtered, and with a keyboard-grabbed card at its preview place. */
  cardsOf(status: string): TaskView[] {
    const store = this.live!.store;
    let list = store.column(status);
    const grab = this.grab;
    if (grab) {
      const grabbed = store.tasks.get(grab.id);
      list = list.filter((t) => t.id !== grab.id);
      if (grabbed && grab.status === status) list.splice(Math.min(grab.index, list.length), 0, grabbed);
    }
    const q = this.filter.trim().toLowerCase();
    if (q) list = list.filter((t) => t.id === grab?.id || `${t.title} #${t.number} ${t.labels.join(' ')}`.toLowerCase().includes(q));
    return list;
  }

  private renderColumn(status: string, name: string): TemplateResult {
    const cards = this.cardsOf(status);
    const drop = this.dropAt?.status === status ? this.dropAt.index : -1;
    // The dragged card stays in the DOM (hidden by CSS) so the browser still ends its drag; the indicator
    // goes before the drop-th other card.
    const items: (TaskView | 'drop')[] = [...cards];
    if (drop >= 0) {
      let seen = 0;
      let at = items.length;
      for (let i = 0; i < items.length; i++) {
        const t = items[i] as TaskView;
        if (t.id === this.dragId) continue;
        if (seen === drop) {
          at = i;
          break;
        }
        seen++;
      }
      items.splice(at, 0, 'drop');
    }
    const total = this.live!.store.column(status).length;
    return html`
      <section
        class="column ${drop >= 0 ? 'drop-target' : ''}"
        part="column"
        data-status=${status}
        aria-label=${name}
        @dragover=${(e: DragEvent) => this.onDragOver(e, status)}
        @dragleave=${(e: DragEvent) => this.onDragLeave(e)}
        @drop=${(e: DragEvent) => this.onDrop(e, status)}
      >
        <header class="column-header" part="column-header">
          <h3>${name}</h3>
          <span class="count" aria-label="${total} tasks">${total}</span>
        </header>
        <ol class="cards" role="list">
          ${repeat(
            items,
            (t) => (t === 'drop' ? '__drop__' : t.id),
            (t) => (t === 'drop' ? html`<li class="drop-indicator" aria-hidden="true"></li>` : this.renderCard(t)),
          )}
        </ol>
        ${cards.length === 0 && drop < 0 ? html`<p class="column-empty">No tasks</p>` : nothing}
        ${this.writable ? this.renderAdd(status) : nothing}
      </section>
    `;
  }

  private renderCard(task: TaskView): TemplateResult {
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
    this.editor.openNew(status);
  }

  openEditor(task: TaskView): void {
    if (this.grab || this.dragId) return;
    this.editor.open(task);
  }

  /** After the next render (a card that changed column is a new element). */
  async focusCard(id: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`.card[data-id="${CSS.escape(id)}"]`)?.focus();
  }

  // ---- moving

  /** Puts `taskId` at `index` of column `status` (index among the column's other tasks): optimistic, then the server. */
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
    if (task.status === status && currentIndex === at) return;
    // Optimistic: a local key between the new neighbours, for ordering only (the server assigns the real one).
    store.tasks.set(taskId, { ...task, status, position: localKey(after?.position ?? null, before?.position ?? null) });
    live.applyLocal({ kind: 'task', id: taskId });
    const moveInput = { status, afterId: after?.id ?? null, beforeId: before?.id ?? null };
    try {
      const moved = await live.writing(taskId, () => live.rest.moveTask(taskId, { ...moveInput, version: task.version }));
      store.upsertTask(moved);
      live.applyLocal({ kind: 'task', id: taskId });
      emit(this, 'taskwire-task-moved', { task: moved, from: { status: task.status }, to: moveInput });
    } catch (error) {
      // Back to what it was, unless newer news about it came in meanwhile.
      if (store.tasks.get(taskId)?.version === task.version) store.tasks.set(taskId, task);
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

function reducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

