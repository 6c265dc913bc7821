// <taskwire-admin>: the app page's #/admin, for instance admins (the header
// links it only for them; the API refuses everyone else with 403). Accounts:
// search, disabled/admin/verified state, Disable/Enable, Make admin/Remove admin,
// Mark verified, Send reset link, and a small form to create one. The sign-up
// policy, the instance's figures, the mail outbox (text unfolds), the delivery
// log (filtered by status and channel) and the audit log (who, what, when, IP).
// Every name, address, subject and detail is a Lit text binding. A chunk of the
// app page loaded the first time #/admin opens (see app.ts).

import { RestClient, LitElement, avatar, css, html, nothing } from '../src/index.js';
import type { Page } from '../src/index.js';
import type { AdminDeliveryView, AdminUserView, AuditView, OutboxMailView, SettingsView, StatsView } from '../../core/presenters/views.js';
import { enc, messageOf, states, when } from './common.js';
import { screenStyles } from './styles.js';

type UserAction = 'disable' | 'enable' | 'make-admin' | 'remove-admin' | 'verify' | 'reset';
type ListName = 'users' | 'audit' | 'outbox' | 'deliveries';

const POLICIES = [
  ['open', 'Open: anyone may sign up'],
  ['invite', 'Invite: only through an invite link'],
  ['closed', 'Closed: only administrators create accounts'],
];
const STATUSES = ['queued', 'sent', 'failed', 'skipped'];
const CHANNELS = ['inapp', 'email', 'slack', 'discord'];
const PATCHES: Partial<Record<UserAction, Record<string, boolean>>> = {
  disable: { disabled: true },
  enable: { disabled: false },
  'make-admin': { isAdmin: true },
  'remove-admin': { isAdmin: false },
  verify: { verified: true },
};

const figure = (key: string, label: string, value: number | string) => html`<div data-figure=${key}><dt>${label}</dt><dd>${value}</dd></div>`;

/** An audit entry's details in words: `disabled: true · email: x@y` and `registration: invite → open`. */
export function detailsText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => {
      const change = value as { from?: unknown; to?: unknown } | null;
      const shown = change && typeof change === 'object' && 'to' in change ? `${String(change.from)} → ${String(change.to)}` : typeof value === 'string' ? value : JSON.stringify(value);
      return `${key}: ${shown}`;
    })
    .join(' · ');
}

export class TaskwireAdmin extends LitElement {
  static override properties = {
    server: {},
    token: {},
    meId: {},
    mailer: { type: Boolean },
    ...states('users audit outbox deliveries settings stats notice error busy'),
  };

  static override styles = [
    ...screenStyles,
    css`
      h1 {
        margin: 0;
        font-size: 22px;
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(360px, 1fr));
        gap: 16px;
        align-items: start;
      }
      .wide {
        grid-column: 1 / -1;
      }
      .panel {
        overflow-x: auto;
      }
      .panel h2 {
        display: flex;
        gap: 8px;
        align-items: center;
      }
      form.row {
        flex-wrap: wrap;
        margin-bottom: 10px;
      }
      form.row input:not([type='checkbox']) {
        flex: 1;
        min-width: 140px;
      }
      form.row select,
      .policy select,
      .filters select {
        width: auto;
      }
      .filters {
        margin-bottom: 10px;
      }
      .list td {
        overflow-wrap: anywhere;
      }
      .list td.ip {
        overflow-wrap: normal;
      }
      .users table {
        table-layout: fixed;
      }
      .users th:nth-child(-n + 2) {
        width: 26%;
      }
      .users th:nth-child(3) {
        width: 110px;
      }
      .users th:nth-child(4) {
        width: 160px;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
        justify-content: flex-end;
      }
      .actions .btn {
        padding: 3px 8px;
        font-size: 12px;
      }
      .figures {
        display: grid;
        grid-template-columns: repeat(4, 1fr);
        gap: 8px;
        margin: 0;
      }
      .figures div {
        background: var(--_bg);
        border-radius: 8px;
        padding: 8px 10px;
      }
      .figures dt {
        font-size: 12px;
        color: var(--_muted);
      }
      .figures dd {
        margin: 0;
        font-size: 20px;
        font-weight: 700;
      }
      .outbox {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      .outbox li {
        border-bottom: 1px solid var(--_border);
        padding: 6px 0;
      }
      .outbox summary {
        cursor: pointer;
      }
      .outbox pre {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        background: var(--_bg);
        border-radius: 8px;
        padding: 10px;
        font-size: 12px;
      }
      .list td.error-text {
        color: var(--_danger);
        overflow-wrap: anywhere;
      }
      .more {
        margin-top: 8px;
      }
    `,
  ];

  server = '';
  token = '';
  /** The signed-in admin: nobody disables or demotes themselves. */
  meId = '';
  /** Whether mail goes out through SMTP (otherwise it waits in the outbox). */
  mailer = true;
  users: Page<AdminUserView> | null = null;
  audit: Page<AuditView> | null = null;
  outbox: Page<OutboxMailView> | null = null;
  deliveries: Page<AdminDeliveryView> | null = null;
  settings: SettingsView | null = null;
  stats: StatsView | null = null;
  notice: string | null = null;
  error: string | null = null;
  busy = false;

  /** Everyone seen in a user list, for names in the audit and delivery logs. */
  private readonly known = new Map<string, AdminUserView>();
  private query = '';
  private filter = { status: '', channel: '' };
  private typing: ReturnType<typeof setTimeout> | undefined;
  /** The latest request per list: an older answer arriving late is dropped. */
  private readonly latest: Partial<Record<ListName, number>> = {};

  private get rest(): RestClient {
    return new RestClient({ server: this.server, token: this.token, userToken: null });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
  }

  /** Reads every section again. */
  async refresh(): Promise<void> {
    await Promise.all([
      this.load('users'),
      this.load('audit'),
      this.load('outbox'),
      this.load('deliveries'),
      this.attempt(async () => (this.settings = await this.rest.request<SettingsView>('GET', '/api/admin/settings'))),
      this.attempt(async () => (this.stats = await this.rest.request<StatsView>('GET', '/api/admin/stats'))),
    ]);
  }

  private path(list: ListName): string {
    const query = new URLSearchParams();
    if (list === 'users' && this.query) query.set('q', this.query);
    if (list === 'deliveries') for (const [key, value] of Object.entries(this.filter)) if (value) query.set(key, value);
    query.set('limit', list === 'users' ? '100' : '50');
    return `/api/admin/${list}?${query}`;
  }

  /** The first page of a list, or with `more` the next one after what is shown. */
  private async load(list: ListName, more = false): Promise<void> {
    const ticket = (this.latest[list] = (this.latest[list] ?? 0) + 1);
    await this.attempt(async () => {
      const shown = this[list] as Page<unknown> | null;
      const cursor = more && shown?.nextCursor ? `&cursor=${enc(shown.nextCursor)}` : '';
      const page = await this.rest.request<Page<never>>('GET', this.path(list) + cursor);
      if (ticket !== this.latest[list]) return;
      if (list === 'users') for (const user of page.items as AdminUserView[]) this.known.set(user.id, user);
      (this as Record<ListName, Page<unknown> | null>)[list] = { items: [...(cursor ? (shown?.items ?? []) : []), ...page.items], nextCursor: page.nextCursor };
    });
  }

  private async attempt(work: () => Promise<unknown>): Promise<boolean> {
    try {
      await work();
      return true;
    } catch (error) {
      this.error = messageOf(error);
      return false;
    }
  }

  /** Runs an action, says what it did, and reads the lists it changed again. */
  private async act(work: () => Promise<string>): Promise<void> {
    this.busy = true;
    this.error = null;
    this.notice = null;
    let said = '';
    if (await this.attempt(async () => (said = await work()))) this.notice = said;
    this.busy = false;
    await Promise.all([this.load('users'), this.load('audit'), this.load('outbox'), this.attempt(async () => (this.stats = await this.rest.request<StatsView>('GET', '/api/admin/stats')))]);
  }

  private who(id: string | null): string {
    if (!id) return 'the server';
    const user = this.known.get(id);
    return user ? `${user.name} (${user.email})` : id;
  }

  override render() {
    return html`
      <div class="row">
        <h1>Administration</h1>
        <span class="spacer"></span>
        <button class="btn refresh" @click=${() => this.refresh()}>Refresh</button>
      </div>
      ${this.notice ? html`<p class="flash" role="status">${this.notice}</p>` : nothing}
      ${this.error ? html`<p class="error" role="alert">${this.error} <button class="btn ghost" @click=${() => (this.error = null)}>Dismiss</button></p>` : nothing}
      <div class="grid">${this.renderUsers()} ${this.renderFigures()} ${this.renderPolicy()} ${this.renderAudit()} ${this.renderDeliveries()} ${this.renderOutbox()}</div>
    `;
  }

  private more(list: ListName) {
    return this[list]?.nextCursor ? html`<button class="btn ghost more" @click=${() => this.load(list, true)}>Load more</button>` : nothing;
  }

  private renderUsers() {
    const users = this.users;
    return html`<section class="panel wide users" aria-labelledby="users-title">
      <h2 id="users-title">Accounts ${users ? html`<span class="count">${users.items.length}${users.nextCursor ? '+' : ''}</span>` : nothing}</h2>
      <form class="row search" role="search" @submit=${(e: Event) => this.search(e)}>
        <input name="q" type="search" placeholder="Search by email or name" aria-label="Search accounts" maxlength="100" @input=${(e: Event) => this.search(e)} />
        <button class="btn">Search</button>
      </form>
      <table class="list">
        <thead>
          <tr><th>Name</th><th>Email</th><th>State</th><th>Since</th><th><span class="sr-only">Actions</span></th></tr>
        </thead>
        <tbody>
          ${(users?.items ?? []).map((u) => this.renderUser(u))}
        </tbody>
      </table>
      ${users && !users.items.length ? html`<p class="empty hint">${this.query ? `Nobody matches “${this.query}”.` : 'No accounts yet.'}</p>` : nothing} ${this.more('users')}
      <form class="row create-user" @submit=${(e: Event) => this.create(e)}>
        <b>Create an account</b>
        <input name="name" placeholder="Name" aria-label="Name" maxlength="100" />
        <input name="email" type="email" placeholder="name@example.com" aria-label="Email" />
        <label class="row"><input name="isAdmin" type="checkbox" /> administrator</label>
        <button class="btn primary" ?disabled=${this.busy}>Create account</button>
      </form>
      <p class="hint">The person sets a password through a link mailed to them${this.mailer ? '' : ' (kept in the outbox below: no mail server is configured)'}.</p>
    </section>`;
  }

  private renderUser(u: AdminUserView) {
    const self = u.id === this.meId;
    const button = (action: UserAction, label: string, danger = false) =>
      html`<button class="btn ${danger ? 'danger' : ''}" data-action=${action} ?disabled=${this.busy} @click=${() => this.userAction(u, action)}>${label}</button>`;
    return html`<tr data-user=${u.id} data-email=${u.email}>
      <td><span class="name">${avatar(u.id, u.name)} <span class="user-name">${u.name}</span>${self ? html` <span class="you">you</span>` : nothing}</span></td>
      <td class="email">${u.email}</td>
      <td class="state">
        ${u.disabled ? html`<span class="pill bad" data-flag="disabled">disabled</span>` : html`<span class="pill" data-flag="enabled">active</span>`}
        ${u.isAdmin ? html`<span class="pill accent" data-flag="admin">admin</span>` : nothing}
        ${u.verified ? html`<span class="pill good" data-flag="verified">verified</span>` : html`<span class="pill warn" data-flag="unverified">not verified</span>`}
      </td>
      <td class="when"><time datetime=${u.createdAt}>${when(u.createdAt)}</time></td>
      <td>
        <div class="actions">
          ${self ? nothing : u.disabled ? button('enable', 'Enable') : button('disable', 'Disable', true)}
          ${self ? nothing : u.isAdmin ? button('remove-admin', 'Remove admin') : button('make-admin', 'Make admin')}
          ${u.verified ? nothing : button('verify', 'Mark verified')} ${u.disabled ? nothing : button('reset', 'Send reset link')}
        </div>
      </td>
    </tr>`;
  }

  private renderFigures() {
    const s = this.stats;
    return html`<section class="panel figures-panel" aria-labelledby="figures-title">
      <h2 id="figures-title">This instance</h2>
      ${s
        ? html`<dl class="figures">
              ${figure('users', 'Accounts', s.users)} ${figure('projects', 'Projects', s.projects)} ${figure('sockets', 'Open sockets', s.sockets)}
              ${figure('failed', 'Failed jobs', s.queue.failed)} ${figure('waiting', 'Jobs waiting', s.queue.waiting)} ${figure('delayed', 'Delayed', s.queue.delayed)}
              ${figure('active', 'Running', s.queue.active)} ${figure('queue', 'Queue', s.queue.kind)}
            </dl>
            <p class="hint">Open sockets are counted on this node.</p>`
        : html`<p class="loading">Loading…</p>`}
    </section>`;
  }

  private renderPolicy() {
    const settings = this.settings;
    return html`<section class="panel policy" aria-labelledby="policy-title">
      <h2 id="policy-title">Who may sign up</h2>
      ${settings
        ? html`<form class="row" @submit=${(e: Event) => this.savePolicy(e)}>
              <select name="registration" aria-label="Sign-up policy">
                ${POLICIES.map(([value, label]) => html`<option value=${value!} ?selected=${value === settings.registration}>${label}</option>`)}
              </select>
              <button class="btn primary" ?disabled=${this.busy}>Save</button>
            </form>
            <p class="hint">
              Whatever the policy, an invite link lets its person in.
              ${settings.updatedAt ? `Set to “${settings.registration}” by ${this.who(settings.updatedBy)} on ${when(settings.updatedAt)}.` : `“${settings.registration}” comes from REGISTRATION.`}
            </p>`
        : html`<p class="loading">Loading…</p>`}
    </section>`;
  }

  private renderAudit() {
    const audit = this.audit;
    return html`<section class="panel wide audit" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <table class="list">
        <thead>
          <tr><th>When</th><th>Who</th><th>What</th><th>Details</th><th>IP</th></tr>
        </thead>
        <tbody>
          ${(audit?.items ?? []).map(
            (a) => html`<tr data-action=${a.action} data-target=${a.targetId ?? ''}>
              <td class="when"><time datetime=${a.createdAt}>${when(a.createdAt)}</time></td>
              <td class="actor">${this.who(a.actorId)}</td>
              <td class="what">${a.action}${a.targetId && a.targetId !== a.actorId ? html` <span class="hint">on ${this.who(a.targetId)}</span>` : nothing}</td>
              <td class="details">${detailsText(a.details)}</td>
              <td class="ip">${a.ip ?? '—'}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${audit && !audit.items.length ? html`<p class="empty hint">No administrative action yet.</p>` : nothing} ${this.more('audit')}
    </section>`;
  }

  private renderOutbox() {
    const outbox = this.outbox;
    return html`<section class="panel wide outbox-panel" aria-labelledby="outbox-title">
      <h2 id="outbox-title">Mail outbox</h2>
      <ol class="outbox">
        ${(outbox?.items ?? []).map(
          (m) => html`<li data-id=${m.id}>
            <details>
              <summary><b class="subject">${m.subject}</b> <span class="hint">to <span class="to">${m.to}</span> · <time datetime=${m.createdAt}>${when(m.createdAt)}</time></span></summary>
              <pre class="text">${m.text}</pre>
            </details>
          </li>`,
        )}
      </ol>
      ${outbox && !outbox.items.length
        ? html`<p class="empty hint">${this.mailer ? 'Empty: mail goes out through the SMTP server. The outbox keeps mail only when none is configured.' : 'No mail yet.'}</p>`
        : nothing}
      ${this.more('outbox')}
    </section>`;
  }

  private renderDeliveries() {
    const deliveries = this.deliveries;
    const select = (name: 'status' | 'channel', all: string, values: string[]) =>
      html`<select name=${name} aria-label=${all} @change=${(e: Event) => this.setFilter(name, (e.target as HTMLSelectElement).value)}>
        <option value="">${all}</option>
        ${values.map((v) => html`<option value=${v} ?selected=${this.filter[name] === v}>${v}</option>`)}
      </select>`;
    return html`<section class="panel wide deliveries" aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">Delivery log</h2>
      <div class="row filters">${select('status', 'Every status', STATUSES)} ${select('channel', 'Every channel', CHANNELS)}</div>
      <table class="list">
        <thead>
          <tr><th>When</th><th>To</th><th>Channel</th><th>Status</th><th>Error</th></tr>
        </thead>
        <tbody>
          ${(deliveries?.items ?? []).map(
            (d) => html`<tr data-channel=${d.channel} data-status=${d.status}>
              <td class="when"><time datetime=${d.createdAt}>${when(d.createdAt)}</time></td>
              <td>${this.who(d.userId)}</td>
              <td>${d.channel}</td>
              <td><span class="pill ${d.status === 'sent' ? 'good' : d.status === 'failed' ? 'bad' : ''}">${d.status}</span>${d.attempts > 1 ? html` <span class="hint">×${d.attempts}</span>` : nothing}</td>
              <td class="error-text">${d.lastError ?? ''}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${deliveries && !deliveries.items.length ? html`<p class="empty hint">No delivery${this.filter.status || this.filter.channel ? ' matches these filters' : ' yet'}.</p>` : nothing}
      ${this.more('deliveries')}
    </section>`;
  }

  // ---- actions

  private search(e: Event): void {
    e.preventDefault();
    const input = e.type === 'submit' ? ((e.target as HTMLFormElement).elements.namedItem('q') as HTMLInputElement) : (e.target as HTMLInputElement);
    clearTimeout(this.typing);
    const go = () => {
      this.query = input.value.trim();
      void this.load('users');
    };
    if (e.type === 'submit') go();
    else this.typing = setTimeout(go, 250);
  }

  private setFilter(name: 'status' | 'channel', value: string): void {
    this.filter = { ...this.filter, [name]: value };
    void this.load('deliveries');
  }

  private userAction(user: AdminUserView, action: UserAction): void {
    void this.act(async () => {
      if (action === 'reset') {
        await this.rest.request('POST', `/api/admin/users/${enc(user.id)}/password-reset`);
        return `A password reset link was ${this.mailer ? 'mailed to' : 'put in the outbox for'} ${user.email}.`;
      }
      const updated = await this.rest.request<AdminUserView>('PATCH', `/api/admin/users/${enc(user.id)}`, PATCHES[action]);
      const name = `${updated.name} (${updated.email})`;
      return action === 'disable'
        ? `${name} is disabled: their sessions, API tokens and sockets are cut.`
        : action === 'enable'
          ? `${name} may sign in again.`
          : action === 'verify'
            ? `${name}'s address is marked verified.`
            : `${name} is ${updated.isAdmin ? 'now an administrator' : 'no longer an administrator'}.`;
    });
  }

  private create(e: Event): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const body = { name: String(data.get('name') ?? '').trim(), email: String(data.get('email') ?? '').trim(), isAdmin: data.get('isAdmin') === 'on' };
    void this.act(async () => {
      const user = await this.rest.request<AdminUserView>('POST', '/api/admin/users', body);
      form.reset();
      return `Account created for ${user.email}: ${this.mailer ? 'a link to choose a password is on its way' : 'the link to choose a password is in the outbox'}.`;
    });
  }

  private savePolicy(e: Event): void {
    e.preventDefault();
    const registration = String(new FormData(e.target as HTMLFormElement).get('registration'));
    void this.act(async () => {
      this.settings = await this.rest.request<SettingsView>('PATCH', '/api/admin/settings', { registration });
      return `Sign-up is now “${registration}”.`;
    });
  }
}
