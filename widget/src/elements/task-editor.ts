// The board's task editor: a modal form over the board to create a task with
// every field, or to read, edit and delete one, with the plugin panels of the
// task's project under the fields. It renders into the board's shadow root (its
// styles and parts are the board's); the board decides when it may open.

import { html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { emit } from '../events.js';
import { dateFromInput, dateInputValue, fullTime } from '../format.js';
import type { LiveController } from '../live.js';
import { counter, refusal, TITLE } from '../limits.js';
import { ApiError, conflictTask, type TaskInput } from '../rest.js';
import type { TaskView } from '../types.js';
import { PluginPanels } from './plugin-panels.js';

interface Editing {
  /** null: a new task. */
  task: TaskView | null;
  status: string;
  error: string | null;
  confirmDelete: boolean;
  busy: boolean;
  /** The title as typed (for its counter). */
  title: string;
}

/** What the editor needs of the board. */
export interface EditorHost extends ReactiveControllerHost, EventTarget {
  readonly live: LiveController | null;
  readonly writable: boolean;
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly shadowRoot: ShadowRoot | null;
  /** Creates a task: null once the server took it, else why not, in a sentence. */
  create(input: TaskInput & { title: string }): Promise<string | null>;
  announce(text: string): void;
  focusCard(id: string): Promise<void>;
}

export class TaskEditor {
  private current: Editing | null = null;
  private readonly panels: PluginPanels;

  constructor(private readonly host: EditorHost) {
    this.panels = new PluginPanels(host);
  }

  private get editing(): Editing | null {
    return this.current;
  }

  private set editing(value: Editing | null) {
    this.current = value;
    this.host.requestUpdate();
  }

  openNew(status: string): void {
    this.editing = { task: null, status, error: null, confirmDelete: false, busy: false, title: '' };
    void this.focus();
  }

  open(task: TaskView): void {
    this.panels.reset();
    this.editing = { task, status: task.status, error: null, confirmDelete: false, busy: false, title: task.title };
    void this.focus();
  }

  /** A plugin changed in the project (a `plugin.updated` change): its panels may come or go. */
  pluginsChanged(live: LiveController): void {
    this.panels.refresh(live);
  }

  render(): TemplateResult | typeof nothing {
    const editing = this.editing;
    if (!editing) return nothing;
    const task = editing.task;
    const live = this.host.live!;
    const store = live.store;
    const readOnly = !this.host.writable;
    const members = [...store.members.values()].sort((a, b) => a.name.localeCompare(b.name));
    const columns = store.project?.columns ?? [];
    return html`
      <div class="backdrop" @click=${(e: Event) => e.target === e.currentTarget && this.close()} @keydown=${(e: KeyboardEvent) => this.onKey(e)}>
        <form class="editor" part="editor" role="dialog" aria-modal="true" aria-labelledby="editor-title" novalidate @submit=${(e: Event) => this.submit(e)}>
          <h3 id="editor-title">${task ? html`Task #${task.number}` : 'New task'}</h3>
          <label
            >Title ${counter(editing.title, TITLE)}
            <input name="title" required .value=${task?.title ?? ''} ?disabled=${readOnly} @input=${(e: Event) => (this.editing = { ...editing, title: (e.target as HTMLInputElement).value })}
          /></label>
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
          ${task ? this.panels.render(live, task) : nothing}
          ${task ? html`<p class="meta">Created by ${store.nameOf(task.createdBy)} · updated ${fullTime(task.updatedAt)}</p>` : nothing}
          ${editing.error ? html`<p class="error" role="alert">${editing.error}</p>` : nothing}
          <div class="row">
            ${task && !readOnly
              ? html`<button class="btn danger" type="button" ?disabled=${editing.busy} @click=${() => this.deleteTask(editing)}>
                  ${editing.confirmDelete ? 'Really delete?' : 'Delete'}
                </button>`
              : nothing}
            <span class="spacer"></span>
            <button class="btn" type="button" @click=${() => this.close()}>${readOnly ? 'Close' : 'Cancel'}</button>
            ${readOnly ? nothing : html`<button class="btn primary" type="submit" ?disabled=${editing.busy}>${task ? 'Save' : 'Create'}</button>`}
          </div>
        </form>
      </div>
    `;
  }

  /** Focus into the editor: the title, or for a viewer (whose fields are disabled) the Close button. */
  private async focus(): Promise<void> {
    await this.host.updateComplete;
    this.host.renderRoot.querySelector<HTMLElement>('.editor input[name=title]:not([disabled]), .editor .row .btn:not(.danger)')?.focus();
  }

  /** Escape closes; Tab stays inside the editor (it is modal). */
  private onKey(e: KeyboardEvent): void {
    if (e.key === 'Escape') {
      e.preventDefault();
      this.close();
    } else if (e.key === 'Tab') {
      // A panel's own controls are in its shadow root, between the fields and the buttons: not first, not last.
      const focusable = [...this.host.renderRoot.querySelectorAll<HTMLElement>('.editor input:not([disabled]), .editor textarea:not([disabled]), .editor select:not([disabled]), .editor button:not([disabled])')];
      const active = this.host.shadowRoot?.activeElement;
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

  private close(): void {
    const id = this.editing?.task?.id;
    this.editing = null;
    if (id) void this.host.focusCard(id);
  }

  private async submit(e: Event): Promise<void> {
    e.preventDefault();
    const editing = this.editing;
    if (!editing || editing.busy) return;
    const live = this.host.live!;
    const input = readForm(e.target as HTMLFormElement);
    const refused = refusal(input.title, TITLE);
    if (refused) return void (this.editing = { ...editing, error: refused });
    this.editing = { ...editing, busy: true, error: null };
    if (!editing.task) {
      // Refused or not sent: the form keeps what was typed, and says why.
      const why = await this.host.create(input);
      this.editing = why ? { ...editing, busy: false, error: why } : null;
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
    if (Object.keys(changes).length === 0) return this.close();
    // A panel's write (only `fields` changed) is not someone else's edit of what this form shows.
    const seen = onlyFieldsDiffer(original, editing.task) ? original : editing.task;
    try {
      const task = await live.writing(original.id, () => live.rest.updateTask(original.id, changes, seen.version));
      live.store.upsertTask(task);
      live.applyLocal({ kind: 'task', id: task.id });
      emit(this.host, 'taskwire-task-updated', { task });
      this.close();
    } catch (error) {
      const current = conflictTask(error);
      if (current) {
        live.store.upsertTask(current);
        this.editing = { task: current, status: current.status, busy: false, confirmDelete: false, title: current.title, error: 'Someone else changed this task meanwhile: this is the latest version. Make your change again.' };
        live.applyLocal({ kind: 'task', id: current.id });
        return;
      }
      // What was typed stays in the form (its fields are not rendered again with the task's values).
      const why =
        error instanceof ApiError && error.status === 0
          ? 'Taskwire could not be reached, so nothing was saved. Your changes are kept here: Save again when you are back online.'
          : `Not saved: ${error instanceof Error ? error.message : 'something went wrong.'} Your changes are kept here.`;
      this.editing = { ...editing, busy: false, error: why };
    }
  }

  private async deleteTask(editing: Editing): Promise<void> {
    const task = editing.task;
    if (!task) return;
    if (!editing.confirmDelete) return void (this.editing = { ...editing, confirmDelete: true });
    const live = this.host.live!;
    this.editing = { ...editing, busy: true };
    try {
      await live.writing(task.id, () => live.rest.deleteTask(task.id));
      live.store.removeTask(task.id);
      live.applyLocal({ kind: 'task', id: task.id });
      emit(this.host, 'taskwire-task-deleted', { taskId: task.id });
      this.editing = null;
      this.host.announce(`Deleted ${task.title}.`);
    } catch (error) {
      this.editing = { ...editing, busy: false, confirmDelete: false, error: error instanceof Error ? error.message : 'Deleting failed.' };
    }
  }
}

function readForm(form: HTMLFormElement): TaskInput & { title: string } {
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

const withoutFields = (t: TaskView): string => JSON.stringify({ ...t, fields: 0, version: 0, updatedAt: 0 });
const onlyFieldsDiffer = (a: TaskView, b: TaskView): boolean => withoutFields(a) === withoutFields(b);
