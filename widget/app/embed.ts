// <taskwire-embed-tokens>: the app page's Embed tab. Project admins list, create
// and delete embed tokens; a new token (and, for verified identity, its secret)
// is shown once, with the copy-paste snippet for the host page and, for
// verified identity, how the host's server mints the user's JWT. Others see
// what embedding is and whom to ask. Part of /app.js only: /widget.js stays
// as small as it is.

import { ApiError, RestClient, LitElement, html, nothing, theme } from '../src/index.js';
import type { ProjectView } from '../src/index.js';
import type { CreatedEmbedTokenView as CreatedEmbedToken, EmbedTokenView } from '../../core/presenters/views.js';
import { states } from './common.js';
import { jwtExample, parseOrigins, widgetSnippet } from './embed-snippets.js';
import { embedStyles } from './embed-styles.js';

type EmbedRole = 'viewer' | 'member';
type EmbedIdentity = 'anonymous' | 'verified';

/** The server's own views: list items (the token and secret never come back), and POST's one-time answer. */
export type { CreatedEmbedToken, EmbedTokenView };

const ROLE_TEXT: Record<EmbedRole, string> = {
  viewer: 'reads the board and the chat',
  member: 'also creates and moves tasks and posts messages',
};
const IDENTITY_TEXT: Record<EmbedIdentity, string> = {
  anonymous: 'everyone on the site is one shared "Guest"',
  verified: 'your server vouches for each user with a signed JWT; nobody writes anonymously',
};

function messageOf(error: unknown): string {
  if (error instanceof ApiError && error.details.length) {
    return `${error.message} ${error.details.map((d) => [d.path, d.message].filter(Boolean).join(' ')).join('; ')}`;
  }
  return error instanceof Error ? error.message : 'Something went wrong.';
}

const day = (iso: string): string => new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });

export class TaskwireEmbedTokens extends LitElement {
  static override properties = {
    server: {},
    project: { attribute: false },
    session: {},
    ...states('tokens created error busy confirming copied originErrors identity'),
  };

  static override styles = [theme, embedStyles];

  /** Base URL of this Taskwire server (what the snippet points at). */
  server = location.origin;
  project: ProjectView | null = null;
  /** The signed-in user's session token. */
  session = '';
  tokens: EmbedTokenView[] | null = null;
  created: CreatedEmbedToken | null = null;
  error: string | null = null;
  busy = false;
  confirming: string | null = null;
  copied: string | null = null;
  originErrors: string[] = [];
  identity: EmbedIdentity = 'anonymous';

  private loadedFor: string | null = null;
  private copiedTimer: ReturnType<typeof setTimeout> | undefined;

  private get admin(): boolean {
    return this.project?.role === 'admin' || this.project?.role === 'owner';
  }

  private get rest(): RestClient {
    return new RestClient({ server: this.server, token: this.session || null, userToken: null });
  }

  private get base(): string {
    return `/api/projects/${encodeURIComponent(this.project?.id ?? '')}/embed-tokens`;
  }

  protected override willUpdate(): void {
    const id = this.project && this.admin ? this.project.id : null;
    if (id === this.loadedFor) return;
    this.loadedFor = id;
    this.tokens = null;
    this.created = null;
    this.confirming = null;
    this.error = null;
    if (id) void this.load(id);
  }

  private async load(projectId: string): Promise<void> {
    try {
      const page = await this.rest.request<{ items: EmbedTokenView[] }>('GET', this.base);
      if (this.loadedFor === projectId) this.tokens = page.items;
    } catch (error) {
      if (this.loadedFor === projectId) this.error = messageOf(error);
    }
  }

  override render() {
    const project = this.project;
    if (!project) return nothing;
    return html`
      ${this.error ? html`<div class="error" role="alert"><span>${this.error}</span><button class="btn ghost" @click=${() => (this.error = null)}>Dismiss</button></div>` : nothing}
      ${this.created ? this.renderCreated(this.created) : nothing}
      ${this.admin ? html`${this.renderList()} ${this.renderForm()}` : this.renderNotAdmin(project)} ${this.renderHowTo(project)}
    `;
  }

  private renderCopy(key: string, text: string, label = 'Copy') {
    const done = this.copied === key;
    return html`<button type="button" class="btn copy" data-copy=${key} aria-label=${done ? 'Copied' : label} @click=${() => this.copy(key, text)}>${done ? 'Copied ✓' : 'Copy'}</button>`;
  }

  private renderCode(key: string, text: string, label: string) {
    return html`<div class="code">
      <pre class=${key}><code>${text}</code></pre>
      ${this.renderCopy(key, text, label)}
    </div>`;
  }

  private renderCreated(created: CreatedEmbedToken) {
    const verified = created.identity === 'verified';
    return html`
      <section class="panel created" aria-labelledby="created-title" tabindex="-1">
        <h2 id="created-title">Embed token "${created.name}" created</h2>
        <p class="once">Copy the token${verified ? ' and the secret' : ''} now: ${verified ? 'they are' : 'it is'} shown only this once.</p>
        <div class="secret-field">
          <span class="label">Embed token</span>
          <code class="token-value">${created.token}</code>
          ${this.renderCopy('token', created.token, 'Copy the embed token')}
        </div>
        ${verified && created.secret
          ? html`<div class="secret-field">
              <span class="label">Signing secret</span>
              <code class="secret-value">${created.secret}</code>
              ${this.renderCopy('secret', created.secret, 'Copy the signing secret')}
            </div>`
          : nothing}
        <h3>Paste this into the pages of ${created.origins.join(', ')}</h3>
        ${this.renderCode('snippet', widgetSnippet(this.server, created.projectId, created.token, created.identity), 'Copy the snippet')}
        ${verified
          ? html`<div class="note">
                <p><strong>Verified identity:</strong> your server signs a short-lived JWT for the person viewing the page and puts it in <code>user-token</code>. Keep the secret on your server only: whoever has it can act as any of your users.</p>
                <ul>
                  <li>HS256 with the secret; claims <code>sub</code> (your user id), <code>name</code>, optional <code>email</code>, <code>aud</code> = <code>${created.projectId}</code></li>
                  <li><code>exp</code> at most 1 hour ahead; a missing, expired or wrongly signed JWT is refused (nothing loads, nobody writes anonymously)</li>
                  <li>Taskwire creates a user for each <code>sub</code> the first time it sees one</li>
                </ul>
              </div>
              ${this.renderCode('jwt', jwtExample(created.projectId), 'Copy the JWT example')}`
          : nothing}
        <div class="actions"><button class="btn primary" @click=${() => (this.created = null)}>I copied it, hide it</button></div>
      </section>
    `;
  }

  private renderList() {
    const tokens = this.tokens;
    return html`
      <section class="panel tokens">
        <h2>Embed tokens ${tokens ? html`<span class="count">${tokens.length}</span>` : nothing}</h2>
        ${!tokens
          ? html`<p class="empty-list">Loading…</p>`
          : !tokens.length
            ? html`<p class="empty-list">No embed tokens yet. Create one below for each site that shows this project.</p>`
            : html`<table>
                <thead>
                  <tr><th>Name</th><th>Allowed origins</th><th>Role</th><th>Identity</th><th>Created</th><th><span class="sr-only">Actions</span></th></tr>
                </thead>
                <tbody>
                  ${tokens.map(
                    (t) => html`<tr data-id=${t.id}>
                      <td class="token-name">${t.name}</td>
                      <td><ul class="origins">${t.origins.map((o) => html`<li class="origin">${o}</li>`)}</ul></td>
                      <td><span class="pill ${t.role}">${t.role}</span></td>
                      <td><span class="pill ${t.identity}">${t.identity}</span></td>
                      <td class="when">${day(t.createdAt)}</td>
                      <td class="actions">
                        ${this.confirming === t.id
                          ? html`<span class="confirm-delete" role="group" aria-label="Confirm deleting ${t.name}">
                              Sites using it stop at once.
                              <button class="btn danger-solid really-delete" ?disabled=${this.busy} @click=${() => this.deleteToken(t)}>Delete</button>
                              <button class="btn ghost" @click=${() => (this.confirming = null)}>Cancel</button>
                            </span>`
                          : html`<button class="btn ghost danger delete" aria-label="Delete ${t.name}" @click=${() => (this.confirming = t.id)}>Delete</button>`}
                      </td>
                    </tr>`,
                  )}
                </tbody>
              </table>`}
      </section>
    `;
  }

  private renderForm() {
    const invalid = this.originErrors.length > 0;
    return html`
      <section class="panel new-token">
        <h2>New embed token</h2>
        <form novalidate @submit=${(e: Event) => this.create(e)}>
          <div class="field">
            <label for="embed-name">Name</label>
            <input id="embed-name" name="name" required maxlength="100" placeholder="Intranet home page" autocomplete="off" />
          </div>
          <div class="field">
            <label for="embed-origins">Allowed origins, one per line</label>
            <textarea
              id="embed-origins"
              name="origins"
              rows="3"
              placeholder="https://intranet.example"
              spellcheck="false"
              aria-invalid=${String(invalid)}
              aria-describedby="origins-help${invalid ? ' origins-errors' : ''}"
              @input=${(e: Event) => invalid && this.checkOrigins(e.target as HTMLTextAreaElement)}
            ></textarea>
            ${invalid
              ? html`<ul class="field-errors" id="origins-errors" role="alert">${this.originErrors.map((m) => html`<li>${m}</li>`)}</ul>`
              : html`<span class="hint" id="origins-help">Scheme, host and port only: the token works only on pages from these sites.</span>`}
          </div>
          <fieldset>
            <legend>Role</legend>
            ${(['viewer', 'member'] as const).map(
              (r) => html`<label class="choice"><input type="radio" name="role" value=${r} ?checked=${r === 'viewer'} /><span><strong>${r}</strong> <span>${ROLE_TEXT[r]}</span></span></label>`,
            )}
          </fieldset>
          <fieldset>
            <legend>Identity</legend>
            ${(['anonymous', 'verified'] as const).map(
              (i) =>
                html`<label class="choice"><input type="radio" name="identity" value=${i} .checked=${i === this.identity} @change=${() => (this.identity = i)} /><span><strong>${i}</strong> <span>${IDENTITY_TEXT[i]}</span></span></label>`,
            )}
          </fieldset>
          <div class="submit">
            ${this.identity === 'verified' ? html`<span class="hint">You also get a signing secret, for your server only.</span>` : nothing}
            <button class="btn primary" type="submit" ?disabled=${this.busy}>Create token</button>
          </div>
        </form>
      </section>
    `;
  }

  private renderNotAdmin(project: ProjectView) {
    return html`<section class="panel not-admin">
      <h2>Embed tokens</h2>
      <p>Only admins and owners of <strong>${project.name}</strong> create and delete embed tokens; you are a ${project.role} here.</p>
      <p class="hint">Ask an admin for a token for your site. Each token works only on the sites (origins) it lists, with viewer or member rights at most, and can require your site to vouch for each user.</p>
    </section>`;
  }

  private renderHowTo(project: ProjectView) {
    return html`<section class="panel howto">
      <h2>How embedding works</h2>
      <p>The board and chat of <strong>${project.name}</strong> go on any page with one script tag and one element:</p>
      ${this.renderCode('generic', widgetSnippet(this.server, project.id, 'EMBED_TOKEN'), 'Copy the example')}
      <ol class="steps">
        <li>An admin creates an embed token listing the site's origins, its role, and whether users are anonymous or verified.</li>
        <li>Requests and live updates with that token are refused from any other origin, and never go beyond its role.</li>
        <li>Deleting the token cuts off every page using it at once.</li>
      </ol>
    </section>`;
  }

  // ---- actions

  private checkOrigins(field: HTMLTextAreaElement): string[] | null {
    const { origins, errors } = parseOrigins(field.value);
    this.originErrors = errors;
    field.setCustomValidity(errors[0] ?? '');
    return errors.length ? null : origins;
  }

  private async create(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const nameField = form.querySelector<HTMLInputElement>('input[name=name]')!;
    const name = String(data.get('name') ?? '').trim();
    const origins = this.checkOrigins(form.querySelector<HTMLTextAreaElement>('textarea[name=origins]')!);
    if (!name) {
      nameField.setCustomValidity('Give the token a name.');
      nameField.reportValidity();
      nameField.setCustomValidity('');
      return;
    }
    if (!origins) {
      form.querySelector<HTMLTextAreaElement>('textarea[name=origins]')!.focus();
      return;
    }
    const project = this.project!;
    this.busy = true;
    this.error = null;
    try {
      const created = await this.rest.request<CreatedEmbedToken>('POST', this.base, {
        name,
        origins,
        role: String(data.get('role') ?? 'viewer'),
        identity: String(data.get('identity') ?? 'anonymous'),
      });
      if (this.project?.id !== project.id) return;
      const view: EmbedTokenView = { id: created.id, projectId: created.projectId, name: created.name, origins: created.origins, role: created.role, identity: created.identity, createdAt: created.createdAt };
      this.tokens = [...(this.tokens ?? []), view];
      this.created = created;
      form.reset();
      this.identity = 'anonymous';
      await this.updateComplete;
      const panel = this.renderRoot.querySelector<HTMLElement>('.created');
      panel?.scrollIntoView({ block: 'start' });
      panel?.focus({ preventScroll: true });
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.busy = false;
    }
  }

  private async deleteToken(token: EmbedTokenView): Promise<void> {
    this.busy = true;
    try {
      await this.rest.request('DELETE', `${this.base}/${encodeURIComponent(token.id)}`);
      this.tokens = (this.tokens ?? []).filter((t) => t.id !== token.id);
      if (this.created?.id === token.id) this.created = null;
      this.confirming = null;
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.busy = false;
    }
  }

  private async copy(key: string, text: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      this.copied = key;
      clearTimeout(this.copiedTimer);
      this.copiedTimer = setTimeout(() => {
        if (this.copied === key) this.copied = null;
      }, 2000);
    } catch {
      // No clipboard (an insecure origin, or permission refused): select the text for a manual copy.
      const target = this.renderRoot.querySelector(key === 'token' ? '.token-value' : key === 'secret' ? '.secret-value' : `pre.${key} code`);
      const selection = getSelection();
      if (target && selection) selection.selectAllChildren(target);
      this.error = 'The clipboard is not available here: the text is selected, copy it with your keyboard.';
    }
  }
}
