// <taskwire-link-page>: what the links in Taskwire's mails open. The server
// serves the app page at /invite, /reset-password and /verify-email; the app
// reads the path and the `token` query parameter and shows this card:
//   verify-email    posts the token at once and says why not if it fails;
//   reset-password  a new password, twice;
//   invite          for someone signed in: join as that account (POST
//                   /api/invites/accept), or sign out to use another one.
//                   (Someone signed out gets <taskwire-sign-in> with the token.)
//   connect         /connect?code=… from `/task connect` in Slack or Discord:
//                   connect that chat account to the signed-in one (POST
//                   /api/me/identities) or use another account; signed out,
//                   the sign-in card first.
// When done it sends `taskwire-link` up; <taskwire-app> takes the token out of
// the address bar (history.replaceState) and goes on at `/`. Part of /app.js only.

import { RestClient, LitElement, css, html, nothing } from '../src/index.js';
import type { IdentityView } from '../../core/presenters/views.js';
import { emit, messageOf, states, type LinkDetail, type LinkKind } from './common.js';
import { screenStyles } from './styles.js';

export class TaskwireLinkPage extends LitElement {
  static override properties = {
    server: {},
    kind: {},
    token: {},
    session: {},
    email: {},
    name: {},
    ...states('error busy'),
  };

  static override styles = [
    ...screenStyles,
    css`
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
  /** Their address (shown on an invite) and name (on a chat account's code). */
  email = '';
  name = '';
  error: string | null = null;
  busy = false;

  private get rest(): RestClient {
    return new RestClient({ server: this.server, token: this.session || null, userToken: null });
  }

  protected override firstUpdated(): void {
    if (!this.token) this.error = 'This link is incomplete: open the whole link you were sent.';
    else if (this.kind === 'verify-email') void this.run(async () => void (await this.rest.request('POST', '/api/auth/verify-email', { token: this.token })));
  }

  override render() {
    const kind = this.kind;
    const connect = kind === 'connect';
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
              : html`<h1>${connect ? 'Connect a chat account' : 'Join the project'}</h1>
                  <p>
                    ${connect
                      ? html`Connect this Slack/Discord account to <b class="as">${this.name}</b>?`
                      : html`You were invited to a Taskwire project. Join it as <b class="as">${this.email}</b>?`}
                  </p>
                  ${this.problem()}
                  <button class="btn primary wide accept" ?disabled=${this.busy || !this.token} @click=${() => this.accept()}>${connect ? 'Connect' : 'Accept the invite'}</button>
                  <p class="hint">
                    ${connect ? 'Not your account?' : 'Invited at another address?'}
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

  /** Runs the request; success goes up as `done` (with what `work` adds), a refusal shows the server's words here. */
  private async run(work: () => Promise<unknown>): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      const more = (await work()) as Partial<LinkDetail> | undefined;
      emit<LinkDetail>(this, 'taskwire-link', { ...more, kind: this.kind, outcome: 'done' });
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
    void this.run(async () => void (await this.rest.request('POST', '/api/auth/password-reset/confirm', { token: this.token, password })));
  }

  /** Joins the invite's project, or connects the chat account of a `/task connect` code. */
  private accept(): void {
    void this.run(async () => {
      if (this.kind !== 'connect') return { projectId: (await this.rest.request<{ member: { projectId: string } }>('POST', '/api/invites/accept', { token: this.token })).member.projectId };
      const i = await this.rest.request<IdentityView>('POST', '/api/me/identities', { code: this.token });
      return { said: `Your ${i.platform === 'slack' ? 'Slack' : 'Discord'} account ${i.externalName} is connected.` };
    });
  }
}
