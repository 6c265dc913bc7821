// <taskwire-board>: the project's columns and cards, live. Create, edit and
// delete tasks; move them by drag and drop or by keyboard (Space to pick up,
// arrows to move, Space/Enter to drop, Escape to cancel), optimistically, with a
// rollback when the server says someone else changed the task first.

import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { emit } from '../events.js';
import { avatar, dateFromInput, dateInputValue, dueLabel, fullTime, isOverdue } from '../format.js';
import type { LiveController } from '../live.js';
import { ApiError, type TaskInput } from '../rest.js';
import { localKey } from '../store.js';
import { theme } from '../styles.js';
import { canWrite, type TaskView } from '../types.js';
import { boardStyles } from './board-styles.js';
import { LiveElement } from './live-element.js';
import { stateLabel } from './status.js';

interface Grab {
  id: string;
  status: string;
  index: number;
  from: { status: string; index: number };
}

interface Editing {
  /** null: a new task. */
  task: TaskView | null;
  status: string;
  error: string | null;
  confirmDelete: boolean;
  busy: boolean;
}

const TASK_MIME = 'application/x-taskwire-task';

export class TaskwireBoard extends LiveElement {
  static override properties = {
    ...LiveElement.properties,
    filter: { state: true },
    editing: { state: true },
    adding: { state: true },
    notice: { state: true },
    announcement: { state: true },
    grab: { state: true },
    dragId: { state: true },
    dropAt: { state: true },
  };

  static override styles = [theme, boardStyles];

  filter = '';
  editing: Editing | null = null;
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

  protected override liveChanged(live: LiveController): void {
    this.unlisten?.();
    this.unlisten = live.onChange((batch) => {
      if (!live.ready) return;
      for (const t of batch) {
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

  private get writable(): boolean {
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
        ${this.editing ? this.renderEditor(this.editing) : nothing}
      </div>
    `;
  }

  /** The cards of a column as shown: filtered, and with a keyboard-grabbed card at its preview place. */
  private cardsOf(status: string): TaskView[] {
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
        @keydown=${(e: KeyboardEvent) => this.onCardKey(e, task)}
        @click=${() => this.openEditor(task)}
        @focusout=${() => this.grab?.id === task.id && this.onGrabbedBlur()}
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

  private renderEditor(editing: Editing): TemplateResult {
    const task = editing.task;
    const store = this.live!.store;
    const readOnly = !this.writable;
    const members = [...store.members.values()].sort((a, b) => a.name.localeCompare(b.name));
    const columns = store.project?.columns ?? [];
    return html`
      <div class="backdrop" @click=${(e: Event) => e.target === e.currentTarget && this.closeEditor()} @keydown=${(e: KeyboardEvent) => this.onEditorKey(e)}>
        <form class="editor" part="editor" role="dialog" aria-modal="true" aria-labelledby="editor-title" @submit=${(e: Event) => this.submitEditor(e)}>
          <h3 id="editor-title">${task ? html`Task #${task.number}` : 'New task'}</h3>
          <label>Title <input name="title" required maxlength="200" .value=${task?.title ?? ''} ?disabled=${readOnly} /></label>
          <label>Description <textarea name="description" rows="4" maxlength="20000" .value=${task?.description ?? ''} ?disabled=${readOnly}></textarea></label>
          <div class="grid">
            <label
              >Column
              <select name="status" ?disabled=${readOnly}>
                ${columns.map((c) => html`<option value=${c.key} ?selected=${c.key === editing.status}>${c.name}</option>`)}
              </select></label
            >
            <label
              >Assignee
              <select name="assigneeId" ?disabled=${readOnly}>
                <option value="" ?selected=${!task?.assigneeId}>Unassigned</option>
                ${members.map((m) => html`<option value=${m.userId} ?selected=${m.userId === task?.assigneeId}>${m.name}</option>`)}
              </select></label
            >
            <label>Due <input name="dueAt" type="date" .value=${dateInputValue(task?.dueAt ?? null)} ?disabled=${readOnly} /></label>
            <label>Labels <input name="labels" placeholder="bug, ui" .value=${task?.labels.join(', ') ?? ''} ?disabled=${readOnly} /></label>
          </div>
          ${task ? html`<p class="meta">Created by ${store.nameOf(task.createdBy)} · updated ${fullTime(task.updatedAt)}</p>` : nothing}
          ${editing.error ? html`<p class="error" role="alert">${editing.error}</p>` : nothing}
          <div class="row">
            ${task && !readOnly
              ? html`<button class="btn danger" type="button" ?disabled=${editing.busy} @click=${() => this.deleteTask(editing)}>
                  ${editing.confirmDelete ? 'Really delete?' : 'Delete'}
                </button>`
              : nothing}
            <span class="spacer"></span>
            <button class="btn" type="button" @click=${() => this.closeEditor()}>${readOnly ? 'Close' : 'Cancel'}</button>
            ${readOnly ? nothing : html`<button class="btn primary" type="submit" ?disabled=${editing.busy}>${task ? 'Save' : 'Create'}</button>`}
          </div>
        </form>
      </div>
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

  private async create(input: TaskInput & { title: string }): Promise<boolean> {
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
    this.editing = { task: null, status, error: null, confirmDelete: false, busy: false };
    void this.focusEditor();
  }

  private openEditor(task: TaskView): void {
    if (this.grab || this.dragId) return;
    this.editing = { task, status: task.status, error: null, confirmDelete: false, busy: false };
    void this.focusEditor();
  }

  /** Focus into the editor: the title, or for a viewer (whose fields are disabled) the Close button. */
  private async focusEditor(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.editor input[name=title]:not([disabled]), .editor .row .btn:not(.danger)')?.focus();
  }

  /** Escape closes; Tab stays inside the editor (it is modal). */
  private onEditorKey(e: KeyboardEvent): void {
    if (e.key === 'Escape') {
      e.preventDefault();
      this.closeEditor();
    } else if (e.key === 'Tab') {
      const focusable = [...this.renderRoot.querySelectorAll<HTMLElement>('.editor input:not([disabled]), .editor textarea:not([disabled]), .editor select:not([disabled]), .editor button:not([disabled])')];
      const active = this.shadowRoot?.activeElement;
      const first = focusable[0];
      const last = focusable.at(-1);
      if (e.shiftKey && active === first) {
        e.preventDefault();
        last?.focus();
      } else if (!e.shiftKey && active === last) {
        e.preventDefault();
        first?.focus();
      }
    }
  }

  private closeEditor(): void {
    const id = this.editing?.task?.id;
    this.editing = null;
    if (id) void this.focusCard(id);
  }

  /** After the next render (a card that changed column is a new element). */
  private async focusCard(id: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`.card[data-id="${CSS.escape(id)}"]`)?.focus();
  }

  private readForm(form: HTMLFormElement): TaskInput & { title: string } {
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? '');
    const labels = [...new Set(text('labels').split(',').map((l) => l.trim()).filter(Boolean))];
    return {
      title: text('title').trim(),
      description: text('description'),
      status: text('status'),
      assigneeId: text('assigneeId') || null,
      dueAt: dateFromInput(text('dueAt')),
      labels,
    };
  }

  private async submitEditor(e: Event): Promise<void> {
    e.preventDefault();
    const editing = this.editing;
    if (!editing || editing.busy) return;
    const live = this.live!;
    const input = this.readForm(e.target as HTMLFormElement);
    if (!input.title) return void (this.editing = { ...editing, error: 'A task needs a title.' });
    this.editing = { ...editing, busy: true, error: null };
    if (!editing.task) {
      const created = await this.create(input);
      this.editing = created ? null : { ...editing, busy: false };
      return;
    }
    const original = live.store.tasks.get(editing.task.id) ?? editing.task;
    const changes: TaskInput = {};
    if (input.title !== original.title) changes.title = input.title;
    if (input.description !== original.description) changes.description = input.description;
    if (input.assigneeId !== original.assigneeId) changes.assigneeId = input.assigneeId;
    if (dateInputValue(input.dueAt ?? null) !== dateInputValue(original.dueAt)) changes.dueAt = input.dueAt;
    if (input.labels!.join('\n') !== original.labels.join('\n')) changes.labels = input.labels;
    if (input.status !== original.status) changes.status = input.status;
    if (Object.keys(changes).length === 0) return this.closeEditor();
    try {
      const task = await live.writing(original.id, () => live.rest.updateTask(original.id, changes, editing.task!.version));
      live.store.upsertTask(task);
      live.applyLocal({ kind: 'task', id: task.id });
      emit(this, 'taskwire-task-updated', { task });
      this.closeEditor();
    } catch (error) {
      const current = conflictTask(error);
      if (current) {
        live.store.upsertTask(current);
        this.editing = { task: current, status: current.status, busy: false, confirmDelete: false, error: 'Someone else changed this task meanwhile: this is the latest version. Make your change again.' };
        live.applyLocal({ kind: 'task', id: current.id });
        return;
      }
      this.editing = { ...editing, busy: false, error: error instanceof Error ? error.message : 'Saving failed.' };
    }
  }

  private async deleteTask(editing: Editing): Promise<void> {
    const task = editing.task;
    if (!task) return;
    if (!editing.confirmDelete) return void (this.editing = { ...editing, confirmDelete: true });
    const live = this.live!;
    this.editing = { ...editing, busy: true };
    try {
      await live.writing(task.id, () => live.rest.deleteTask(task.id));
      live.store.tasks.delete(task.id);
      live.applyLocal({ kind: 'task', id: task.id });
      emit(this, 'taskwire-task-deleted', { taskId: task.id });
      this.editing = null;
      this.announce(`Deleted ${task.title}.`);
    } catch (error) {
      this.editing = { ...editing, busy: false, confirmDelete: false, error: error instanceof Error ? error.message : 'Deleting failed.' };
    }
  }

  // ---- moving

  /** Puts `taskId` at `index` of column `status` (index among the column's other tasks): optimistic, then the server. */
  private async move(taskId: string, status: string, index: number): Promise<void> {
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

  // ---- keyboard

  private onCardKey(e: KeyboardEvent, task: TaskView): void {
    if (e.target !== e.currentTarget) return;
    const grab = this.grab;
    const columns = this.live!.store.project?.columns ?? [];
    if (!grab) {
      if (e.key === ' ' && this.writable) {
        e.preventDefault();
        const list = this.live!.store.column(task.status);
        const index = list.findIndex((t) => t.id === task.id);
        this.grab = { id: task.id, status: task.status, index, from: { status: task.status, index } };
        this.announce(`Picked up ${task.title}. ${this.placeText(task.status, index)}. Arrow keys move it, Space or Enter drops it, Escape cancels.`);
      } else if (e.key === 'Enter') {
        e.preventDefault();
        this.openEditor(task);
      } else if (e.key.startsWith('Arrow')) {
        e.preventDefault();
        this.moveFocus(task, e.key);
      }
      return;
    }
    if (grab.id !== task.id) return;
    const colIndex = columns.findIndex((c) => c.key === grab.status);
    const sizeOf = (status: string) => this.live!.store.column(status).filter((t) => t.id !== grab.id).length;
    let next: Grab | null = null;
    switch (e.key) {
      case 'ArrowUp':
        next = { ...grab, index: Math.max(0, grab.index - 1) };
        break;
      case 'ArrowDown':
        next = { ...grab, index: Math.min(sizeOf(grab.status), grab.index + 1) };
        break;
      case 'ArrowLeft':
      case 'ArrowRight': {
        const target = columns[colIndex + (e.key === 'ArrowLeft' ? -1 : 1)];
        if (target) next = { ...grab, status: target.key, index: Math.min(grab.index, sizeOf(target.key)) };
        break;
      }
      case ' ':
      case 'Enter': {
        e.preventDefault();
        this.grab = null;
        const name = columns.find((c) => c.key === grab.status)?.name ?? grab.status;
        this.announce(`Dropped ${task.title} in ${name}, position ${grab.index + 1}.`);
        void this.move(task.id, grab.status, grab.index);
        void this.focusCard(task.id);
        return;
      }
      case 'Escape':
        e.preventDefault();
        this.cancelGrab(true);
        return;
      case 'Tab':
        this.cancelGrab(true);
        return;
      default:
        return;
    }
    e.preventDefault();
    if (next && (next.index !== grab.index || next.status !== grab.status)) {
      this.grab = next;
      this.announce(this.placeText(next.status, next.index));
    }
  }

  /** Focus left the grabbed card: a cross-column move re-creates the card (and refocuses it); anything else cancels. */
  private onGrabbedBlur(): void {
    setTimeout(() => {
      const active = this.shadowRoot?.activeElement as HTMLElement | null;
      if (this.grab && active?.dataset.id !== this.grab.id) this.cancelGrab(false);
    }, 0);
  }

  private cancelGrab(announce: boolean): void {
    const grab = this.grab;
    if (!grab) return;
    this.grab = null;
    const task = this.live?.store.tasks.get(grab.id);
    if (announce && task) this.announce(`Move cancelled. ${task.title} is back in ${this.placeText(grab.from.status, grab.from.index)}.`);
    if (announce) void this.focusCard(grab.id);
  }

  private placeText(status: string, index: number): string {
    const columns = this.live!.store.project?.columns ?? [];
    const name = columns.find((c) => c.key === status)?.name ?? status;
    const size = this.live!.store.column(status).filter((t) => t.id !== this.grab?.id).length + 1;
    return `${name}, position ${index + 1} of ${size}`;
  }

  private moveFocus(task: TaskView, key: string): void {
    const columns = this.live!.store.project?.columns ?? [];
    const list = this.cardsOf(task.status);
    const index = list.findIndex((t) => t.id === task.id);
    let target: TaskView | undefined;
    if (key === 'ArrowUp') target = list[index - 1];
    else if (key === 'ArrowDown') target = list[index + 1];
    else {
      const colIndex = columns.findIndex((c) => c.key === task.status);
      const column = columns[colIndex + (key === 'ArrowLeft' ? -1 : 1)];
      const other = column ? this.cardsOf(column.key) : [];
      target = other[Math.min(index, other.length - 1)];
    }
    if (target) this.renderRoot.querySelector<HTMLElement>(`.card[data-id="${CSS.escape(target.id)}"]`)?.focus();
  }

  // ---- notices

  private announce(text: string): void {
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

function conflictTask(error: unknown): TaskView | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const current = error.details[0]?.current as TaskView | undefined;
  return current && typeof current === 'object' && typeof current.id === 'string' ? current : null;
}

function reducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

