// Quick-add: nothing typed is lost. The title stays in its field until the
// server accepted it (and is cleared then only if it was not changed
// meanwhile); a title that cannot be sent (blank, over the 200-character limit:
// no `maxlength` cuts a paste short) is refused with a sentence under the field,
// with a counter near the limit. A task being created shows at once as a card
// marked "Adding…"; one the server refused or could not be reached for stays,
// marked as not added, with Retry and Discard, and the field says why (with
// Retry when the server could not be reached).

import { html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { emit } from '../events.js';
import { counter, refusal, TITLE } from '../limits.js';
import type { LiveController } from '../live.js';
import { ApiError, type TaskInput } from '../rest.js';

/** A task on its way to the server, or one it did not take. */
interface Pending {
  key: string;
  input: TaskInput & { title: string; status: string };
  failed: string | null;
  /** The server could not be reached (as opposed to refused it). */
  offline: boolean;
}

export interface AddHost extends ReactiveControllerHost, EventTarget {
  readonly live: LiveController | null;
  readonly renderRoot: HTMLElement | DocumentFragment;
  announce(text: string): void;
  focusCard(id: string): Promise<void>;
}

/** Why a create failed, in a sentence for the page. */
export const whyNot = (error: unknown): { text: string; offline: boolean } =>
  error instanceof ApiError && error.status === 0
    ? { text: 'Taskwire could not be reached, so the task was not added. Your text is kept: Retry when you are back online.', offline: true }
    : { text: `Taskwire refused this task: ${error instanceof Error ? error.message : 'something went wrong.'}`, offline: false };

/** Creates a task: null once the server took it, else why not, in a sentence. */
export async function createTask(host: AddHost, input: TaskInput & { title: string }, accepted?: () => void): Promise<{ text: string; offline: boolean } | null> {
  const live = host.live!;
  try {
    const task = await live.rest.createTask(live.projectId, input);
    // Whatever stood in for it goes before the card shows.
    accepted?.();
    live.store.upsertTask(task);
    live.applyLocal({ kind: 'task', id: task.id });
    emit(host, 'taskwire-task-created', { task });
    return null;
  } catch (error) {
    const why = whyNot(error);
    emit(host, 'taskwire-error', { code: error instanceof ApiError ? error.code : 'error', message: why.text });
    return why;
  }
}

export class QuickAdd {
  /** The column whose quick-add box is open. */
  adding: string | null = null;
  /** The box's text (kept across renders and failures). */
  private text = '';
  /** Why the box's text was not sent or not added. */
  private problem: string | null = null;
  /** The pending create the box's text went out as. */
  private sent: string | null = null;
  private readonly pending: Pending[] = [];
  private next = 0;

  constructor(private readonly host: AddHost) {}

  private update(): void {
    this.host.requestUpdate();
  }

  open(status: string): void {
    if (this.adding !== status) this.problem = null;
    this.adding = status;
    this.update();
    void this.host.updateComplete.then(() => this.host.renderRoot.querySelector<HTMLTextAreaElement>('.quick-add textarea')?.focus());
  }

  /** Closes the box (its text stays for next time); the focus goes back to its "+ Add task". */
  close(): void {
    const status = this.adding;
    this.adding = null;
    this.problem = null;
    this.update();
    void this.host.updateComplete.then(() => this.host.renderRoot.querySelector<HTMLElement>(`[data-nav="add:${status}"]`)?.focus());
  }

  /** "+ Add task", or the open box. */
  render(status: string): TemplateResult {
    if (this.adding !== status) {
      return html`<button class="add" part="add-button" data-nav="add:${status}" tabindex="-1" @click=${() => this.open(status)}>+ Add task</button>`;
    }
    const sent = this.pending.find((p) => p.key === this.sent);
    return html`
      <form class="quick-add" part="quick-add" novalidate @submit=${(e: Event) => this.submit(e, status)}>
        <textarea
          rows="2"
          placeholder="Task title"
          aria-label="New task title"
          aria-invalid=${this.problem ? 'true' : 'false'}
          aria-describedby=${this.problem ? 'add-problem' : nothing}
          .value=${this.text}
          @input=${(e: Event) => {
            this.text = (e.target as HTMLTextAreaElement).value;
            this.update();
          }}
          @keydown=${(e: KeyboardEvent) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              (e.target as HTMLTextAreaElement).form?.requestSubmit();
            } else if (e.key === 'Escape') this.close();
          }}
        ></textarea>
        ${this.problem ? html`<p class="refusal" id="add-problem" part="add-error" role="alert">${this.problem}</p>` : nothing}
        <div class="row">
          <button class="btn primary" type="submit">Add</button>
          ${sent?.offline ? html`<button class="btn" type="button" @click=${() => this.retry(sent)}>Retry</button>` : nothing}
          <button class="btn ghost" type="button" @click=${() => this.close()}>Cancel</button>
          <span class="spacer"></span>
          ${counter(this.text, TITLE)}
          <button class="btn ghost" type="button" title="More fields" @click=${() => this.detailsFor(status)}>Details…</button>
        </div>
      </form>
    `;
  }

  /** Set by the board: opens the full editor for a new task in `status`. */
  detailsFor: (status: string) => void = () => undefined;

  /** The column's tasks on their way, or not taken: shown at its end. */
  renderPending(status: string): TemplateResult[] {
    return this.pending
      .filter((p) => p.input.status === status)
      .map(
        (p) => html`<li class="pending ${p.failed ? 'failed' : ''}" part="card-pending" role="gridcell" data-pending=${p.key}>
          <div class="card-title">${p.input.title}</div>
          <div class="card-meta">
            ${p.failed
              ? html`<span class="failed-note">Not added</span><span class="spacer"></span>
                  <button class="btn" type="button" @click=${() => this.retry(p)}>Retry</button>
                  <button class="btn ghost" type="button" @click=${() => this.discard(p)}>Discard</button>`
              : html`<span>Adding…</span>`}
          </div>
        </li>`,
      );
  }

  private submit(e: Event, status: string): void {
    e.preventDefault();
    const title = this.text;
    this.problem = refusal(title, TITLE);
    this.update();
    if (this.problem) return;
    const p: Pending = { key: `new-${++this.next}`, input: { title: title.trim(), status }, failed: null, offline: false };
    this.pending.push(p);
    this.sent = p.key;
    void this.send(p);
  }

  private async send(p: Pending): Promise<void> {
    p.failed = null;
    this.update();
    const why = await createTask(this.host, p.input, () => this.pending.splice(this.pending.indexOf(p), 1));
    if (!why) {
      // The box is cleared only of what was accepted: a title changed meanwhile stays.
      if (this.sent === p.key) {
        this.sent = null;
        this.problem = null;
        if (this.text.trim() === p.input.title) this.text = '';
      }
    } else {
      p.failed = why.text;
      p.offline = why.offline;
      if (this.sent === p.key) this.problem = why.text;
      this.host.announce(why.text);
    }
    this.update();
  }

  private retry(p: Pending): void {
    if (this.sent === p.key) this.problem = null;
    void this.send(p);
  }

  private discard(p: Pending): void {
    this.pending.splice(this.pending.indexOf(p), 1);
    if (this.sent === p.key) this.sent = null;
    this.update();
  }
}
