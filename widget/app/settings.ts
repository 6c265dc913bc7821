// <taskwire-settings>: the app page's #/settings (the link notification emails
// carry). Which events notify the user, how long before a due date the reminder
// comes, their time zone (this browser's is suggested), and which channels get a
// copy besides the in-app inbox; saved with PATCH /api/me {notify}, with the
// server's 400 details next to the field they name. Plus a test notification per
// channel, and the connected chat accounts (from `/task connect`) with Disconnect.
// Part of /app.js only.

import { ApiError, RestClient, LitElement, css, html, nothing } from '../src/index.js';
import type { Me, NotifyPrefs } from '../src/index.js';
import type { IdentityView } from '../../core/presenters/views.js';
import { enc, messageOf, states, when } from './common.js';
import { screenStyles } from './styles.js';

/** Checkbox names: the `notify` keys, `channels.x` for a channel. */
const EVENTS = [
  ['assigned', 'A task is assigned to me'],
  ['dueSoon', 'A task of mine is due soon'],
  ['overdue', 'A task of mine is overdue'],
  ['mentioned', 'Someone mentions me in a chat room'],
  ['digest', 'Every morning at 8:00, a digest of my open tasks'],
];
const CHANNELS = [
  ['email', 'Email'],
  ['slack', 'Slack'],
  ['discord', 'Discord'],
];

export class TaskwireSettings extends LitElement {
  static override properties = {
    server: {},
    token: {},
    ...states('notify timezone errors saved tested identities'),
  };

  static override styles = [
    ...screenStyles,
    css`
      :host {
        max-width: 720px;
      }
      h1 {
        margin: 0;
        font-size: 22px;
      }
      label {
        display: flex;
        gap: 8px;
        margin: 6px 0;
      }
      b {
        display: block;
        margin-top: 16px;
      }
      input {
        width: auto;
      }
      #timezone {
        width: 280px;
      }
      [aria-invalid='true'] {
        border-color: var(--_danger);
      }
      .error {
        padding: 6px 10px;
      }
      .panel {
        margin-top: 16px;
      }
    `,
  ];

  server = '';
  token = '';
  notify: NotifyPrefs | null = null;
  /** The time zone field, as typed; the server's default UTC gives way to this browser's zone. */
  timezone = '';
  /** Field name (`remindBefore`, `timezone`, `channels.email`…, or `form`) → the message shown by it. */
  errors: Record<string, string> = {};
  saved = false;
  tested = '';
  /** Connected chat accounts. */
  identities: IdentityView[] | null = null;

  private readonly browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  private get rest(): RestClient {
    return new RestClient({ server: this.server, token: this.token, userToken: null });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.rest.me().then(
      (me) => this.show(me),
      (error: Error) => (this.errors = { form: error.message }),
    );
    void this.loadIdentities();
  }

  /** Reads the connected chat accounts, after disconnecting `gone` once confirmed. */
  private async loadIdentities(gone?: IdentityView): Promise<void> {
    try {
      if (gone && confirm(`Disconnect ${gone.externalName}?`)) await this.rest.request('DELETE', `/api/me/identities/${enc(gone.id)}`);
      this.identities = (await this.rest.request<{ items: IdentityView[] }>('GET', '/api/me/identities')).items;
    } catch (error) {
      this.errors = { identities: messageOf(error) };
    }
  }

  private show(me: Me): void {
    const notify = (this.notify = me.notify ?? null);
    if (notify) this.timezone = notify.timezone === 'UTC' ? this.browserZone : notify.timezone;
  }

  override render() {
    const notify = this.notify;
    const errors = this.errors;
    const invalid = (name: string) => String(!!errors[name]);
    const box = (name: string, label: string, on?: boolean) => html`<label><input type="checkbox" name=${name} .checked=${!!on} /> ${label}</label>${this.problem(name)}`;
    return html`
      <h1>Settings</h1>
      ${notify
        ? html`<form class="panel" novalidate @submit=${(e: Event) => this.save(e)} @input=${() => (this.saved = false)}>
            <h2>Notifications</h2>
            <p class="hint">What you choose shows up in the inbox (the bell); the channels below get a copy.</p>
            <b>Tell me when</b>
            ${EVENTS.map(([name, label]) => box(name!, label!, notify[name as 'digest']))}
            <b><label for="remindBefore">Remind me this many minutes before a due date</label></b>
            <input id="remindBefore" name="remindBefore" type="number" min="0" max="10080" .value=${String(notify.remindBefore)} aria-invalid=${invalid('remindBefore')} aria-describedby="remindBefore-hint" />
            ${this.problem('remindBefore')}
            <p class="hint" id="remindBefore-hint">0 turns the due-soon reminder off; 60 is an hour, 1440 a day, 10080 (a week) at most.</p>
            <b><label for="timezone">Time zone</label></b>
            <div class="row">
              <input id="timezone" list="zones" .value=${this.timezone} aria-invalid=${invalid('timezone')} aria-describedby="timezone-hint" @input=${(e: Event) => (this.timezone = (e.target as HTMLInputElement).value)} />
              ${this.timezone === this.browserZone ? nothing : html`<button type="button" class="btn ghost use-browser" @click=${() => (this.timezone = this.browserZone)}>Use this browser's (${this.browserZone})</button>`}
            </div>
            <datalist id="zones">${Intl.supportedValuesOf('timeZone').map((zone) => html`<option value=${zone}></option>`)}</datalist>
            ${this.problem('timezone')}
            <p class="hint" id="timezone-hint">
              ${this.timezone === this.browserZone && this.timezone !== notify.timezone
                ? `Suggested by this browser; saved: ${notify.timezone}.`
                : 'Reminders and the morning digest follow this clock (an IANA name, like Europe/Paris).'}
            </p>
            <b>Also send them by</b>
            ${CHANNELS.map(([name, label]) => box(`channels.${name}`, label!, notify.channels[name as 'email']))} ${this.problem('form')}
            <div class="row">
              <button class="btn primary save">Save</button>
              ${this.saved ? html`<span class="flash ok" role="status">Saved.</span>` : nothing}
            </div>
          </form>`
        : html`<p class="loading">${errors.form ?? 'Loading…'}</p>`}
      <section class="panel tests">
        <h2>Send a test notification</h2>
        <p class="hint">It arrives in your inbox at once, with how the channel delivered it.</p>
        <div class="row">
          ${[['inapp', 'In-app'], ...CHANNELS].map(([channel, label]) => html`<button class="btn" data-channel=${channel!} @click=${() => this.test(channel!, label!)}>${label}</button>`)}
          <span role="status">${this.tested}</span>
        </div>
      </section>
      <section class="panel identities">
        <h2>Connected chat accounts</h2>
        <p class="hint">From <code>/task connect</code> in Slack or Discord: their commands act as you.</p>
        ${this.identities?.map(
          (i) => html`<p class="row" data-id=${i.id}>
            <span class="pill">${i.platform}</span><strong class="name">${i.externalName}</strong><span class="hint">since ${when(i.createdAt)}</span>
            <button class="btn ghost danger disconnect" @click=${() => this.loadIdentities(i)}>Disconnect</button>
          </p>`,
        )}
        ${this.identities?.length === 0 ? html`<p class="empty">None yet.</p>` : nothing} ${this.problem('identities')}
      </section>
    `;
  }

  private problem(name: string) {
    return this.errors[name] ? html`<p class="error" data-field=${name} role="alert">${this.errors[name]}</p>` : nothing;
  }

  private async save(e: Event): Promise<void> {
    e.preventDefault();
    const fields = (e.target as HTMLFormElement).elements;
    const on = (name: string) => (fields.namedItem(name) as HTMLInputElement).checked;
    const minutes = (fields.namedItem('remindBefore') as HTMLInputElement).value;
    // A number input hands over '' for what is not a number: say so here. Numbers, even out of range, go to the server.
    this.errors = minutes ? {} : { remindBefore: 'Enter a number of minutes (0 turns the reminder off).' };
    if (!minutes) return;
    try {
      const notify = {
        ...Object.fromEntries(EVENTS.map(([name]) => [name, on(name!)])),
        remindBefore: Number(minutes),
        timezone: this.timezone.trim(),
        channels: Object.fromEntries(CHANNELS.map(([name]) => [name, on(`channels.${name}`)])),
      };
      this.show(await this.rest.request<Me>('PATCH', '/api/me', { notify }));
      this.saved = true;
    } catch (error) {
      // `notify.remindBefore` → by the remindBefore field; a path no field has goes under the form.
      const errors: Record<string, string> = {};
      for (const d of error instanceof ApiError ? error.details : []) {
        const name = d.path?.replace('notify.', '') ?? '';
        const key = fields.namedItem(name) ? name : 'form';
        errors[key] = [errors[key], key === 'form' ? `${d.path}: ${d.message}` : d.message].filter(Boolean).join('; ');
      }
      this.errors = Object.keys(errors).length ? errors : { form: (error as Error).message };
    }
  }

  private async test(channel: string, label: string): Promise<void> {
    try {
      await this.rest.request('POST', '/api/me/notifications/test', { channel });
      this.tested = `${label}: sent; see the bell.`;
    } catch (error) {
      this.tested = `${label}: ${(error as Error).message}`;
    }
  }
}
