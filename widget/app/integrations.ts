// <taskwire-integrations>: the project's Integrations tab, for project admins
// (the tab is not shown to others; the API answers them 403). Outgoing webhooks:
// state (enabled, failing since, disabled and why), create and edit with event
// checkboxes by entity (`<entity>.*` included), the signing secret shown once,
// enable/disable, delete, "Send test event" and a delivery log per webhook
// (status, attempts, response, last error, Retry, "Load older"; read again every
// 3 s while open). Incoming hooks per room (the URL shown once,
// with a curl example), chat links (room names, unlink, a small link form), and
// the project's plugins (<taskwire-plugins>, ./plugins.ts).
// Every name, URL, description and error is a Lit text binding. A chunk of the
// app page loaded the first time the tab opens (see app.ts).

import { RestClient, LitElement, css, html, nothing } from '../src/index.js';
import type { Page, ProjectView, RoomView } from '../src/index.js';
import type { IncomingHookView, LinkView, WebhookDeliveryView, WebhookView } from '../../core/presenters/views.js';
import { enc, messageOf, states, when } from './common.js';
import { screenStyles } from './styles.js';

type Log = Page<WebhookDeliveryView>;
/** Where an error or a one-time value shows: 0 webhooks, 1 incoming hooks, 2 chat links. */
type Section = 0 | 1 | 2;

/** The change types a webhook may subscribe to, by entity (the server's CHANGE_TYPES). */
const EVENTS = 'project:updated member:added,updated,removed,invited,invite_revoked task:created,updated,moved,deleted room:created,updated,deleted,member_added,member_removed message:created,updated,deleted'
  .split(' ')
  .map((group) => group.split(':') as [string, string]);

export const curlExample = (url: string): string => `curl -X POST -H 'Content-Type: application/json' -d '{"text":"hello"}' ${url}`;

export class TaskwireIntegrations extends LitElement {
  static override properties = {
    server: {},
    token: {},
    project: { attribute: false },
    ...states('webhooks rooms hooks links logs editing shown said error busy'),
  };

  static override styles = [
    ...screenStyles,
    css`
      .panel {
        margin-bottom: 16px;
      }
      .row {
        flex-wrap: wrap;
        margin: 6px 0;
      }
      .webhook {
        border-top: 1px solid var(--_border);
        padding: 8px 0;
      }
      code {
        font: 12px monospace;
        overflow-wrap: anywhere;
        white-space: pre-wrap;
      }
      .once {
        border: 1px solid var(--_success);
        border-radius: 8px;
        padding: 0 10px;
      }
      fieldset {
        border: 0;
        padding: 0;
        margin: 0;
        min-width: 0;
      }
      legend ~ div {
        display: flex;
        flex-wrap: wrap;
        column-gap: 14px;
      }
      label {
        display: flex;
        gap: 4px;
      }
      input[type='checkbox'],
      select {
        width: auto;
      }
      form input {
        flex: 1;
      }
    `,
  ];

  server = '';
  token = '';
  project: ProjectView | null = null;
  webhooks: WebhookView[] | null = null;
  rooms: RoomView[] = [];
  hooks: IncomingHookView[] = [];
  links: LinkView[] = [];
  /** The delivery logs that are open, by webhook id. */
  logs: Record<string, Log> = {};
  /** The webhook whose form is open instead of its row. */
  editing: string | null = null;
  /** Shown this once: a new webhook's signing secret, or a new hook's URL (in its section). */
  shown: [Section, string] | null = null;
  /** What the last test event of each webhook did, by its id. */
  said: Record<string, string> = {};
  error: [Section, string] | null = null;
  busy = false;

  private loaded: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  private api<T>(method: string, path: string, body?: unknown): Promise<T> {
    return new RestClient({ server: this.server, token: this.token, userToken: null }).request<T>(method, path, body);
  }

  private get(path: string) {
    return this.api<Page<never>>('GET', path).then((p) => p.items);
  }

  protected override willUpdate(): void {
    const id = this.project?.id ?? null;
    if (id === this.loaded) return;
    this.loaded = id;
    this.webhooks = this.editing = this.shown = null;
    this.logs = {};
    if (id) void this.act(() => this.load());
  }

  protected override updated(): void {
    // An open delivery log follows new deliveries and retries: it (and the webhooks' state) is read again every 3 s.
    if (!this.timer && Object.keys(this.logs).length) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (this.isConnected) this.load(true).catch(() => {});
      }, 3000);
    }
  }

  /** Reads everything again (with `quiet`, only the webhooks and their open logs). */
  private async load(quiet = false): Promise<void> {
    const id = this.loaded!;
    const base = `/api/projects/${enc(id)}`;
    const webhooks: WebhookView[] = await this.get(`${base}/webhooks`);
    this.logs = Object.fromEntries(Object.entries(this.logs).filter(([w]) => webhooks.some((x) => x.id === w)));
    for (const w in this.logs) await this.loadLog(w);
    if (id !== this.loaded) return;
    this.webhooks = webhooks;
    if (quiet) return;
    const [rooms, links] = await Promise.all([this.get(`${base}/rooms`), this.get(`${base}/links`)]);
    // A private room the admin is not in keeps its hooks to itself.
    const hooks = await Promise.all((rooms as RoomView[]).map((r) => this.get(`/api/rooms/${enc(r.id)}/hooks`).catch(() => [])));
    if (id === this.loaded) Object.assign(this, { rooms, links, hooks: hooks.flat() });
  }

  /** The newest deliveries (as many as shown), or with `more` the next older page. */
  private async loadLog(id: string, more = false): Promise<void> {
    const old = this.logs[id];
    const page = await this.api<Log>('GET', `/api/webhooks/${enc(id)}/deliveries?limit=${more ? 20 : Math.min(200, Math.max(20, old?.items.length ?? 0))}${more ? `&cursor=${enc(old!.nextCursor!)}` : ''}`);
    // A log closed while it was being read again stays closed.
    if (old && !this.logs[id]) return;
    this.logs = { ...this.logs, [id]: { items: [...(more ? old!.items : []), ...page.items], nextCursor: page.nextCursor } };
  }

  /** Runs an action (then reads everything again with `reload`); a refusal shows the server's words in its section. */
  private async act(work: () => Promise<unknown>, reload = false, section: Section = 0): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      await work();
      if (reload) await this.load();
    } catch (error) {
      this.error = [section, messageOf(error)];
    } finally {
      this.busy = false;
    }
  }

  /** The section's error, and what it shows this once: the value with a copy button, and a warning. */
  private top(section: Section, what = '', extra?: (value: string) => unknown) {
    const [where, value] = this.shown ?? [];
    return html`${this.error?.[0] === section ? html`<p class="error" role="alert">${this.error[1]}</p>` : nothing}
    ${where === section
      ? html`<div class="once" role="status">
          <p><b>Copy the ${what} now: it is shown only this once.</b></p>
          <p class="row"><code class="value">${value}</code>${this.copy(value!)}</p>
          ${extra?.(value!)}
          <p><button class="btn" @click=${() => (this.shown = null)}>I copied it, hide it</button></p>
        </div>`
      : nothing}`;
  }

  /** A copy button that says when it copied (without a clipboard, the text shown is there to select). */
  private copy(text: string) {
    return html`<button class="btn copy" @click=${(e: Event) => navigator.clipboard.writeText(text).then(() => ((e.target as HTMLElement).textContent = 'Copied ✓'), () => {})}>Copy</button>`;
  }

  /** A row of a list (hooks, links) with the button that deletes its item once confirmed. */
  private item(section: Section, id: string, path: string, what: string, cells: unknown, roomId: string, label = 'Delete') {
    return html`<p class="row" data-id=${id}>
      ${cells} → #${this.rooms.find((r) => r.id === roomId)?.name ?? roomId}
      <button class="btn ghost danger drop" @click=${() => confirm(`${label} ${what}?`) && this.act(() => this.api('DELETE', path), true, section)}>${label}</button>
    </p>`;
  }

  override render() {
    if (!this.project) return nothing;
    const rooms = html`<select name="roomId" aria-label="Room">${this.rooms.map((r) => html`<option value=${r.id}>#${r.name}</option>`)}</select>`;
    return html`<fieldset ?disabled=${this.busy}>
      <section class="panel webhooks">
        <h2>Outgoing webhooks</h2>
        <p class="hint">Signed POSTs (Standard Webhooks), in order, retried; disabled after 3 days of failures.</p>
        ${this.top(0, 'signing secret')} ${this.webhooks?.map((w) => this.renderWebhook(w))}
        <h2>New webhook</h2>
        ${this.renderForm()}
      </section>
      <section class="panel hooks">
        <h2>Incoming hooks</h2>
        <p class="hint">A secret URL that posts <code>{"text": "…"}</code> into a room under the hook's name.</p>
        ${this.top(1, 'hook URL', (url) => html`<p class="row"><code class="curl">${curlExample(url)}</code>${this.copy(curlExample(url))}</p>`)}
        ${this.hooks.map((h) => this.item(1, h.id, `/api/hooks/${enc(h.id)}`, h.name, html`<b class="name">${h.name}</b>`, h.roomId))}
        <form class="row" @submit=${(e: Event) => this.create(e, 1)}>
          <input name="name" required maxlength="80" placeholder="Name (the author shown)" /> ${rooms}
          <button class="btn primary">Create hook</button>
        </form>
      </section>
      <section class="panel links">
        <h2>Chat links</h2>
        <p class="hint">A linked channel mirrors a room. In Slack, <code>/task link &lt;project&gt; [room]</code> in the channel links it.</p>
        ${this.top(2)}
        ${this.links.map((l) => this.item(2, l.id, `/api/links/${enc(l.id)}`, l.channelId, html`<span class="pill">${l.platform}</span> team <code>${l.teamId}</code> channel <code>${l.channelId}</code>
            ${l.lastFailureAt ? html`<span class="pill warn state">posting failed at ${when(l.lastFailureAt)}; retrying</span>` : nothing}`, l.roomId, 'Unlink'))}
        <form class="row" @submit=${(e: Event) => this.create(e, 2)}>
          <select name="platform" aria-label="Platform"><option>discord</option><option>slack</option></select>
          <input name="teamId" required placeholder="Team (server) id" />
          <input name="channelId" required placeholder="Channel id" /> ${rooms}
          <button class="btn primary">Link</button>
        </form>
      </section>
    </fieldset>
    <taskwire-plugins .server=${this.server} .token=${this.token} .project=${this.project}></taskwire-plugins>`;
  }

  /** Creates a hook (its URL is then shown once) or a link from its form. */
  private create(e: Event, section: 1 | 2): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const { roomId, ...body } = Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, String(v).trim()]));
    void this.act(
      async () => {
        if (section === 1) this.shown = [section, (await this.api<{ url: string }>('POST', `/api/rooms/${enc(roomId!)}/hooks`, body)).url];
        else await this.api('POST', `/api/projects/${enc(this.loaded!)}/links`, { ...body, roomId });
        form.reset();
      },
      true,
      section,
    );
  }

  private renderWebhook(w: WebhookView) {
    const log = this.logs[w.id];
    const path = `/api/webhooks/${enc(w.id)}`;
    return html`<div class="webhook" data-id=${w.id}>
      ${this.editing === w.id
        ? this.renderForm(w)
        : html`<p class="row">
              <code class="url">${w.url}</code>
              <span class="pill ${w.enabled ? (w.failingSince ? 'warn' : 'good') : 'bad'} state">
                ${w.enabled ? (w.failingSince ? `failing since ${when(w.failingSince)}` : 'enabled') : `disabled: ${w.disabledReason}`}
              </span>
            </p>
            <p class="description">${w.description}</p>
            <p>${w.events.map((e) => html`<span class="pill">${e}</span> `)}</p>
            <p class="row">
              <button
                class="btn test"
                @click=${() =>
                  this.act(async () => {
                    const r = await this.api<{ delivered: boolean; responseStatus: number | null; error: string | null }>('POST', `${path}/test`);
                    this.said = { ...this.said, [w.id]: r.delivered ? `Test event delivered (${r.responseStatus}).` : `Test event failed: ${r.error}` };
                  })}
              >
                Send test event
              </button>
              <button class="btn log" aria-expanded=${!!log} @click=${() => this.toggleLog(w.id)}>Deliveries</button>
              <button class="btn edit" @click=${() => (this.editing = w.id)}>Edit</button>
              <button class="btn toggle" @click=${() => this.act(() => this.api('PATCH', path, { enabled: !w.enabled }), true)}>${w.enabled ? 'Disable' : 'Enable'}</button>
              <button class="btn ghost danger drop" @click=${() => confirm(`Delete the webhook to ${w.url}?`) && this.act(() => this.api('DELETE', path), true)}>Delete</button>
              <span class="outcome" role="status">${this.said[w.id]}</span>
            </p>`}
      ${log
        ? html`<table class="list log">
              <tr><th>When</th><th>Change</th><th>Status</th><th>Attempts</th><th>Response</th><th>Last error</th><th></th></tr>
              ${log.items.map(
                (d) => html`<tr data-id=${d.id} data-status=${d.status}>
                  <td class="when">${when(d.createdAt)}</td><td>${d.type} #${d.seq}</td>
                  <td><span class="pill ${d.status === 'delivered' ? 'good' : d.status === 'failed' ? 'bad' : 'warn'} status">${d.status}</span></td>
                  <td class="attempts">${d.attempts}</td><td class="response">${d.responseStatus}</td><td class="last-error danger">${d.lastError}</td>
                  <td>${d.status === 'delivered' ? nothing : html`<button class="btn retry" @click=${() => this.retry(w.id, d.id)}>Retry</button>`}</td>
                </tr>`,
              )}
            </table>
            ${log.nextCursor ? html`<button class="btn ghost older" @click=${() => this.act(() => this.loadLog(w.id, true))}>Load older</button>` : nothing}`
        : nothing}
    </div>`;
  }

  /** The server sends it again at once; the log is read again a moment later. */
  private retry(id: string, deliveryId: string): void {
    void this.act(async () => {
      await this.api('POST', `/api/webhooks/${enc(id)}/deliveries/${enc(deliveryId)}/retry`);
      await new Promise((done) => setTimeout(done, 700));
      await this.load(true);
    });
  }

  private toggleLog(id: string): void {
    if (!this.logs[id]) return void this.act(() => this.loadLog(id));
    const { [id]: _closed, ...open } = this.logs;
    this.logs = open;
  }

  /** Create (no webhook) or edit one. */
  private renderForm(w?: WebhookView) {
    const box = (value: string) => html`<label><input type="checkbox" name="events" value=${value} ?checked=${!!w?.events.includes(value)} />${value}</label>`;
    return html`<form class="webhook-form" @submit=${(e: Event) => this.save(e, w)}>
      <p class="row">
        <input name="url" type="url" required placeholder="https://example.com/hook" .value=${w?.url ?? ''} />
        <input name="description" maxlength="500" placeholder="Description (optional)" .value=${w?.description ?? ''} />
      </p>
      <fieldset>
        <legend>Events</legend>
        ${EVENTS.map(([entity, types]) => html`<div>${box(`${entity}.*`)} ${types.split(',').map((t) => box(`${entity}.${t}`))}</div>`)}
      </fieldset>
      <p class="row">
        <button class="btn primary">${w ? 'Save' : 'Create webhook'}</button>
        ${w ? html`<button type="button" class="btn" @click=${() => (this.editing = null)}>Cancel</button>` : nothing}
      </p>
    </form>`;
  }

  private save(e: Event, w?: WebhookView): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const body = { url: String(data.get('url')).trim(), description: String(data.get('description')), events: data.getAll('events') };
    void this.act(async () => {
      if (!body.events.length) throw new Error('Pick at least one event.');
      if (w) await this.api('PATCH', `/api/webhooks/${enc(w.id)}`, body);
      else this.shown = [0, (await this.api<{ secret: string }>('POST', `/api/projects/${enc(this.loaded!)}/webhooks`, body)).secret];
      this.editing = null;
      form.reset();
    }, true);
  }
}
