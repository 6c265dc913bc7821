// <taskwire-board>: the project's columns and cards, live. Create, edit and
// delete tasks; move them by drag and drop (mouse, or a long press on a touch
// screen) or by keyboard, optimistically, with a rollback when the server says
// someone else changed the task first. The board is an ARIA grid, each column a
// row of it: one Tab stop, arrows between cards. Its helpers each do one job
// and get what they need of the board through a small interface:
//   ./board-grid.ts     focus between cards (roving tabindex)
//   ./board-keys.ts     keyboard moves of a picked-up card
//   ./board-drag.ts     mouse and touch drag and drop
//   ./board-virtual.ts  the rows near a big column's viewport
//   ./board-add.ts      quick-add and tasks on their way to the server
//   ./board-move.ts     a move written: at once on the page, then on the server
//   ./board-phone.ts    one column at a time, with tabs and swipes, on a phone
//   ./task-editor.ts    the editor (a chunk fetched on first use, ../lazy.ts)
//
// Big boards: each column is loaded a page at a time (../live.ts loadMore) and
// a column of more than VIRTUAL_MIN cards renders only the rows near its
// viewport.

import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { emit } from '../events.js';
import { avatar, dueLabel, fullTime, isOverdue } from '../format.js';
import { loadEditor } from '../lazy.js';
import type { LiveController } from '../live.js';
import { ApiError, type TaskInput } from '../rest.js';
import { theme } from '../styles.js';
import { canWrite, type TaskView } from '../types.js';
import { createTask, QuickAdd } from './board-add.js';
import { BoardDrag, type DropAt } from './board-drag.js';
import { BoardGrid } from './board-grid.js';
import { BoardKeys, type Grab } from './board-keys.js';
import { moveTask } from './board-move.js';
import { PhoneColumns } from './board-phone.js';
import { boardStyles } from './board-styles.js';
import { gap, VirtualWindow, VIRTUAL_MIN } from './board-virtual.js';
import { LiveElement } from './live-element.js';
import { stateLabel } from './status.js';
import type { TaskEditor } from './task-editor.js';

export class TaskwireBoard extends LiveElement {
  static override properties = {
    ...LiveElement.properties,
    filter: { state: true },
    notice: { state: true },
    announcement: { state: true },
    grab: { state: true },
    dragId: { state: true },
    dropAt: { state: true },
    column: { state: true },
  };

  static override styles = [theme, boardStyles];

  filter = '';
  notice: string | null = null;
  announcement = '';
  grab: Grab | null = null;
  dragId: string | null = null;
  dropAt: DropAt | null = null;
  /** The column shown on a phone. */
  column: string | null = null;

  private readonly flashing = new Set<string>();
  private filterTimer: ReturnType<typeof setTimeout> | undefined;
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;
  private unlisten: (() => void) | null = null;
  /** Fetched on first use (a chunk beside /widget.js): most visitors never open it. */
  private editor: TaskEditor | null = null;
  private readonly keys = new BoardKeys(this);
  private readonly grid = new BoardGrid(this);
  private readonly drag = new BoardDrag(this);
  private readonly virtual = new VirtualWindow(this);
  private readonly phone = new PhoneColumns(this);
  private readonly adder = new QuickAdd(this);

  constructor() {
    super();
    this.adder.detailsFor = (status) => this.openNew(status);
  }

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

  // ---- what the helpers ask of the board

  fromEnd(status: string): object | null {
    const col = this.live?.store.cols.get(status);
    return col?.fromEnd ? col : null;
  }

  showColumn(status: string): void {
    this.column = status;
  }

  grabCard(task: TaskView): void {
    this.keys.grab(task);
  }

  // ---- rendering

  protected override updated(): void {
    this.virtual.measure();
    this.grid.sync();
    if (this.grab) void this.focusCard(this.grab.id);
  }

  override render(): TemplateResult {
    const live = this.live;
    if (!this.project) return html`<div class="empty" part="empty">Set the <code>project</code> attribute to show a board.</div>`;
    const project = live?.store.project;
    const columns = project?.columns.map((c) => ({ key: c.key, name: c.name, size: this.extent(c.key).size })) ?? [];
    const shown = this.phone.current(columns.map((c) => c.key));
    const keys = columns.map((c) => c.key);
    return html`
      <div class="board" part="board">
        <header class="toolbar" part="toolbar">
          <h2 class="title" part="title">${project?.name ?? 'Board'}</h2>
          <input class="filter" part="filter" type="search" placeholder="Filter tasks" aria-label="Filter tasks" .value=${this.filter} @input=${(e: Event) => this.onFilter((e.target as HTMLInputElement).value)} />
          <span class="status" part="status" data-state=${live?.state ?? 'connecting'} role="status">${stateLabel(live?.state ?? 'connecting')}</span>
        </header>
        ${live?.problem && (!live.ready || live.state === 'unauthorized' || live.state === 'error') ? html`<div class="problem" part="problem" role="alert">${live.problem}</div>` : nothing}
        ${project
          ? html`${this.phone.renderTabs(columns)}
              <div
                class="columns"
                part="columns"
                role="grid"
                aria-label="${project.name}: tasks by column"
                aria-describedby="grid-help"
                @keydown=${(e: KeyboardEvent) => this.grid.onKey(e)}
                @focusin=${(e: FocusEvent) => this.grid.onFocusIn(e)}
                @touchstart=${(e: TouchEvent) => this.phone.onTouchStart(e)}
                @touchmove=${(e: TouchEvent) => this.drag.onTouchMove(e)}
                @touchend=${(e: TouchEvent) => this.onTouchEnd(e, keys)}
                @touchcancel=${(e: TouchEvent) => this.drag.onTouchEnd(e)}
              >
                ${columns.map((c) => this.renderColumn(c.key, c.name, c.key === shown))}
              </div>
              <p id="grid-help" hidden>
                Arrow keys go from task to task. Space or Enter picks a task up; arrows then move it, Space or Enter drops it, Escape cancels. F2 opens a task.
              </p>`
          : live?.problem
            ? nothing
            : html`<div class="empty">Loading…</div>`}
        <div class="sr-only" aria-live="assertive" aria-atomic="true">${this.announcement}</div>
        ${this.notice ? html`<div class="notice" part="notice" role="alert">${this.notice}</div>` : nothing}
        ${this.editor?.render() ?? nothing}
      </div>
    `;
  }

  private onTouchEnd(e: TouchEvent, keys: string[]): void {
    const dragged = this.drag.dragging;
    this.drag.onTouchEnd(e);
    if (!dragged) this.phone.onTouchEnd(e, keys);
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

  private renderColumn(status: string, name: string, shown: boolean): TemplateResult {
    const cards = this.cardsOf(status);
    const { size, offset } = this.extent(status, cards);
    const virtual = size > VIRTUAL_MIN;
    const [first, last] = virtual ? this.virtual.rows(status, size) : [0, size];
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
    const pending = this.writable ? this.adder.renderPending(status) : [];
    return html`
      <section
        class="column ${drop >= 0 ? 'drop-target' : ''} ${virtual ? 'virtual' : ''} ${shown ? 'shown' : ''}"
        part="column"
        id="col-${status}"
        role="row"
        data-status=${status}
        aria-label=${name}
        @dragover=${(e: DragEvent) => this.drag.onDragOver(e, status)}
        @dragleave=${(e: DragEvent) => this.drag.onDragLeave(e)}
        @drop=${(e: DragEvent) => this.drag.onDrop(e, status)}
      >
        <header class="column-header" part="column-header" role="rowheader">
          <h3>${name}</h3>
          <span class="count">${size}</span><span class="sr-only">tasks</span>
        </header>
        <ol class="cards" role="none" data-status=${status} @scroll=${(e: Event) => this.virtual.onScroll(e.currentTarget as HTMLElement)}>
          ${virtual ? gap(first) : nothing}
          ${repeat(
            items,
            (t) => (t === 'drop' ? '' : typeof t === 'number' ? t : t.id),
            (t, i) =>
              t === 'drop'
                ? html`<li class="drop-indicator" aria-hidden="true"></li>`
                : typeof t === 'number'
                  ? html`<li class="card ghost" aria-hidden="true"></li>`
                  : this.renderCard(t, first + i + 1 - (drop >= 0 && i > items.indexOf('drop') ? 1 : 0)),
          )}
          ${virtual ? gap(size - last) : nothing} ${pending}
        </ol>
        ${size === 0 && drop < 0 && !pending.length ? html`<p class="column-empty" role="gridcell">No tasks</p>` : nothing}
        ${this.writable ? html`<div class="add-cell" role="gridcell">${this.adder.render(status)}</div>` : nothing}
      </section>
    `;
  }

  private renderCard(task: TaskView, place: number): TemplateResult {
    const store = this.live!.store;
    const assignee = task.assigneeId ? store.nameOf(task.assigneeId) : null;
    const overdue = isOverdue(task.dueAt, task.completedAt);
    const grabbed = this.grab?.id === task.id;
    const classes = ['card', grabbed ? 'grabbed' : '', this.dragId === task.id ? 'dragging' : '', this.flashing.has(task.id) ? 'flash' : ''].join(' ');
    return html`
      <li
        class=${classes}
        part="card${grabbed ? ' card-grabbed' : ''}"
        role="gridcell"
        data-id=${task.id}
        data-nav=${task.id}
        tabindex="-1"
        aria-colindex=${place}
        draggable=${this.writable ? 'true' : 'false'}
        aria-roledescription=${this.writable ? 'draggable task' : 'task'}
        aria-grabbed=${this.writable ? String(grabbed) : nothing}
        @dragstart=${(e: DragEvent) => this.drag.onDragStart(e, task)}
        @dragend=${() => this.drag.onDragEnd()}
        @touchstart=${(e: TouchEvent) => this.drag.onTouchStart(e, task)}
        @contextmenu=${(e: Event) => this.drag.dragging && e.preventDefault()}
        @keydown=${(e: KeyboardEvent) => this.keys.onKey(e, task)}
        @click=${() => this.openEditor(task)}
        @focusout=${() => this.grab?.id === task.id && this.keys.onGrabbedBlur()}
      >
        <div class="card-title" part="card-title">${task.title}</div>
        ${task.labels.length ? html`<ul class="labels" aria-label="Labels">${task.labels.map((l) => html`<li class="label" part="label">${l}</li>`)}</ul>` : nothing}
        <div class="card-meta">
          <span class="number">#${task.number}</span>
          ${task.dueAt
            ? html`<span class="sr-only">due</span><span class="due ${overdue ? 'overdue' : ''}" part="due${overdue ? ' overdue' : ''}" title=${fullTime(task.dueAt)}>${overdue ? 'Overdue · ' : ''}${dueLabel(task.dueAt)}</span>`
            : nothing}
          <span class="spacer"></span>
          ${task.assigneeId && assignee ? html`<span class="sr-only">assigned to</span>${avatar(task.assigneeId, assignee)}` : nothing}
        </div>
      </li>
    `;
  }

  // ---- create, edit, delete

  /** Creates a task from the editor: null once the server took it, else why not (in a sentence). */
  async create(input: TaskInput & { title: string }): Promise<string | null> {
    return (await createTask(this, input))?.text ?? null;
  }

  private openNew(status: string): void {
    this.adder.close();
    void this.withEditor((editor) => editor.openNew(status));
  }

  openEditor(task: TaskView): void {
    if (this.grab || this.dragId) return;
    void this.withEditor((editor) => editor.open(task));
  }

  private async withEditor(use: (editor: TaskEditor) => void): Promise<void> {
    try {
      const { TaskEditor } = await loadEditor();
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
    // On a phone its column comes into view first.
    const column = this.grab?.id === id ? this.grab.status : this.live?.store.tasks.get(id)?.status;
    if (column && column !== this.column) this.column = column;
    await this.updateComplete;
    const find = () => this.renderRoot.querySelector<HTMLElement>(`.card[data-id="${CSS.escape(id)}"]`);
    const card = find();
    if (card) {
      if (this.shadowRoot?.activeElement !== card) card.focus();
      return card.scrollIntoView({ block: 'nearest' });
    }
    const status = this.live?.store.tasks.get(id)?.status ?? this.grab?.status;
    const cards = status ? this.cardsOf(status) : [];
    const index = cards.findIndex((t) => t.id === id);
    if (index < 0 || !this.virtual.reveal(status!, index + this.extent(status!, cards).offset)) return;
    await this.updateComplete;
    find()?.focus();
  }

  // ---- moving

  /** Puts `taskId` at `index` of column `status` (./board-move.ts). */
  move(taskId: string, status: string, index: number): Promise<void> {
    return moveTask(this, taskId, status, index);
  }

  // ---- notices

  announce(text: string): void {
    // Re-setting the same text would not be announced again.
    this.announcement = this.announcement === text ? `${text} ` : text;
  }

  showNotice(text: string): void {
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
