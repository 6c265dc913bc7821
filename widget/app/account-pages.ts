// <taskwire-link-page>: what the links in Taskwire's mails open. The server
// serves the app page at /invite, /reset-password and /verify-email; the app
// reads the path and the `token` query parameter and shows this card:
//   verify-email    posts the token at once and says why not if it fails;
//   reset-password  a new password, twice;
//   invite          for someone signed in: join as that account (POST
//                   /api/invites/accept), or sign out to use another one.
//                   (Someone signed out gets <taskwire-sign-in> with the token.)
// When done it sends `taskwire-link` up; <taskwire-app> takes the token out of
// the address bar (history.replaceState) and goes on at `/`. Part of /app.js only.

import { RestClient, LitElement, css, html, nothing, theme } from '../src/index.js';
import { emit, messageOf, type LinkDetail, type LinkKind } from './common.js';
import { appStyles } from './styles.js';

export class TaskwireLinkPage extends LitElement {
  static override properties = {
    server: { type: String },
    kind: { type: String },
    token: { type: String },
    session: { type: String },
    email: { type: String },
    error: { state: true },
    busy: { state: true },
  };

  static override styles = [
    theme,
    appStyles,
    css`
      :host {
        height: auto;
      }
      form {
        display: contents;
      }
      h1 {
        margin: 0;
        font-size: 19px;
      }
      p {
        margin: 0;
      }
      .hint .btn {
        padding: 0 2px;
      }
      .home {
        color: var(--_accent);
        font-size: 13px;
      }
    `,
  ];

  server = '';
  kind: LinkKind = 'verify-email';
  /** The link's token ('' when the link was cut short). */
  token = '';
  /** The session token of whoever is signed in, or ''. */
  session = '';
  /** Their address (shown on an invite). */
  email = '';
  error: string | null = null;
  busy = false;

  private get rest(): RestClient {
    return new RestClient({ server: this.server, token: this.session || null, userToken: null });
  }

  protected override firstUpdated(): void {
    if (!this.token) this.error = 'This link is incomplete: open the whole link from the mail.';
    else if (this.kind === 'verify-email') void this.run(() => this.rest.request('POST', '/api/auth/verify-email', { token: this.token }));
  }

  override render() {
    const kind = this.kind;
    return html`
      <div class="auth">
        <div class="auth-card link-page" data-kind=${kind}>
          <div class="brand"><img src="/favicon.svg" alt="" width="32" height="32" /><span>Taskwire</span></div>
          ${kind === 'verify-email'
            ? html`<h1>Confirming your address</h1>
                ${this.error ? nothing : html`<p class="hint" role="status">One moment…</p>`}`
            : kind === 'reset-password'
              ? html`<form novalidate @submit=${(e: Event) => this.reset(e)}>
                  <h1>Choose a new password</h1>
                  <p class="hint">It signs you out everywhere; then you sign in with it.</p>
                  <label>New password <input name="password" type="password" autocomplete="new-password" ?disabled=${!this.token} /></label>
                  <label>The same again <input name="repeat" type="password" autocomplete="new-password" ?disabled=${!this.token} /></label>
                  ${this.problem()}
                  <button class="btn primary wide" ?disabled=${this.busy || !this.token}>Save the new password</button>
                </form>`
              : html`<h1>Join the project</h1>
                  <p>You were invited to a Taskwire project. Join it as <b class="as">${this.email}</b>?</p>
                  ${this.problem()}
                  <button class="btn primary wide accept" ?disabled=${this.busy || !this.token} @click=${() => this.accept()}>Accept the invite</button>
                  <p class="hint">
                    Invited at another address?
                    <button class="btn ghost other" @click=${() => emit<LinkDetail>(this, 'taskwire-link', { kind, outcome: 'sign-out' })}>Use another account</button>
                  </p>`}
          ${kind === 'verify-email' ? this.problem() : nothing}
          ${this.error || kind === 'reset-password' ? html`<a class="home" href="/">Go to Taskwire</a>` : nothing}
        </div>
      </div>
    `;
  }

  private problem() {
    return this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing;
  }

  /** Runs the request; success goes up as `done` (with the project an invite joined), a refusal shows the server's words here. */
  private async run(work: () => Promise<unknown>): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      const projectId = await work();
      emit<LinkDetail>(this, 'taskwire-link', { kind: this.kind, outcome: 'done', ...(typeof projectId === 'string' ? { projectId } : {}) });
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.busy = false;
    }
  }

  private reset(e: Event): void {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const password = String(data.get('password') ?? '');
    if (password !== String(data.get('repeat') ?? '')) {
      this.error = 'The two passwords differ: type the same one twice.';
      return;
    }
    void this.run(() => this.rest.request('POST', '/api/auth/password-reset/confirm', { token: this.token, password }));
  }

  private accept(): void {
    void this.run(async () => (await this.rest.request<{ member: { projectId: string } }>('POST', '/api/invites/accept', { token: this.token })).member.projectId);
  }
}
