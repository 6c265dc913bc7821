// <taskwire-sign-in>: the app page's sign-in card. It opens on "Sign in" for a
// returning person (the last address used is remembered in localStorage) and on
// "Create account" for the first person of an empty server or someone arriving
// through an invite link; a sentence says who may sign up here (GET
// /api/auth/options). "Forgot password?" asks for the address and answers the
// same whatever the server did, as the server does. Signing in or up sends
// `taskwire-session` up to <taskwire-app>. Part of /app.js only.

import { ApiError, RestClient, LitElement, css, html, nothing } from '../src/index.js';
import { EMAIL_KEY, emit, messageOf, states, type Account, type AuthOptions, type SessionDetail } from './common.js';
import { screenStyles } from './styles.js';

type Mode = 'login' | 'register' | 'forgot';

const SENT = 'If an account exists for that address, a link is on its way. It works for 30 minutes.';

/** Who may sign up here, in a sentence. */
export function policyText(options: AuthOptions | null, invited: boolean): string {
  if (invited) return 'You were invited: create your account with the address the invite was sent to, or sign in if you have one.';
  if (!options) return '';
  if (options.firstUser) return 'You are the first: your account will administer this server.';
  if (options.registration === 'open') return `Anyone may create an account here.${options.emailVerification ? ' We mail you a link to confirm your address.' : ''}`;
  if (options.registration === 'invite') return 'Sign-up here needs an invite link: ask a project admin to invite your address.';
  return 'Sign-up here is closed: an administrator creates accounts.';
}

export class TaskwireSignIn extends LitElement {
  static override properties = {
    server: {},
    invite: {},
    notice: {},
    ...states('mode options error busy sent'),
  };

  static override styles = [
    ...screenStyles,
    css`
      .policy {
        margin: 0;
        font-size: 13px;
        color: var(--_muted);
      }
      .policy[data-policy='first'] {
        color: var(--_fg);
        font-weight: 600;
      }
    `,
  ];

  server = '';
  /** The token of the invite link this page was opened with, or ''. */
  invite = '';
  /** Why the person sees this card again (signed out, password changed). */
  notice = '';
  /** The address last signed in with on this browser. */
  email = localStorage.getItem(EMAIL_KEY) ?? '';
  mode: Mode = 'login';
  options: AuthOptions | null = null;
  error: string | null = null;
  busy = false;
  sent = false;
  /** The person picked a tab: the options arriving later do not switch it. */
  private picked = false;

  private get rest(): RestClient {
    return new RestClient({ server: this.server, token: null, userToken: null });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.email && this.invite) this.mode = 'register';
    void this.loadOptions();
  }

  private async loadOptions(): Promise<void> {
    try {
      this.options = await this.rest.request<AuthOptions>('GET', '/api/auth/options');
      if (this.options.firstUser && !this.picked) this.mode = 'register';
    } catch {
      // The form works without the sentence.
    }
  }

  override render() {
    const mode = this.mode;
    const register = mode === 'register';
    const options = this.options;
    return html`
      <div class="auth">
        <form class="auth-card" data-mode=${mode} novalidate @submit=${(e: Event) => this.submit(e)}>
          <div class="brand"><img src="/favicon.svg" alt="" width="32" height="32" /><span>Taskwire</span></div>
          <p class="tagline">Projects, tasks and chat, live.</p>
          ${this.notice ? html`<p class="flash notice" role="status">${this.notice}</p>` : nothing}
          ${mode === 'forgot'
            ? html`<h2>Forgot your password?</h2>
                <p class="policy">Enter your account's address: we mail it a link to choose a new password.</p>
                <label>Email <input name="email" type="email" autocomplete="email" .value=${this.email} /></label>
                ${this.sent ? html`<p class="flash sent" role="status">${SENT}</p>` : nothing}
                ${this.problem()}
                <button class="btn primary wide" ?disabled=${this.busy}>Send me a link</button>
                <button type="button" class="btn ghost back" @click=${() => this.setMode('login')}>Back to sign in</button>`
            : html`<div class="switch" role="tablist">
                  <button type="button" role="tab" aria-selected=${String(!register)} @click=${() => this.setMode('login')}>Sign in</button>
                  <button type="button" role="tab" aria-selected=${String(register)} @click=${() => this.setMode('register')}>Create account</button>
                </div>
                <p class="policy" data-policy=${this.invite ? 'invited' : options?.firstUser ? 'first' : (options?.registration ?? '')}>${policyText(options, !!this.invite)}</p>
                ${register ? html`<label>Name <input name="name" autocomplete="name" maxlength="100" /></label>` : nothing}
                <label>Email <input name="email" type="email" autocomplete=${register ? 'email' : 'username'} .value=${this.email} /></label>
                <label>Password <input name="password" type="password" autocomplete=${register ? 'new-password' : 'current-password'} aria-describedby=${register ? 'password-hint' : nothing} /></label>
                ${register ? html`<p class="hint" id="password-hint">At least 8 characters.</p>` : nothing} ${this.problem()}
                <button class="btn primary wide" ?disabled=${this.busy}>${register ? 'Create account' : 'Sign in'}</button>
                ${register ? nothing : html`<button type="button" class="btn ghost forgot" @click=${() => this.setMode('forgot')}>Forgot password?</button>`}`}
        </form>
      </div>
    `;
  }

  private problem() {
    return this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing;
  }

  private setMode(mode: Mode): void {
    // What was typed in the address field carries over to the next form.
    const typed = this.renderRoot.querySelector<HTMLInputElement>('input[name=email]')?.value.trim();
    if (typed) this.email = typed;
    this.picked = true;
    this.mode = mode;
    this.error = null;
    this.sent = false;
  }

  private async submit(e: Event): Promise<void> {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const field = (name: string) => String(data.get(name) ?? '');
    const email = field('email').trim();
    this.email = email;
    this.busy = true;
    this.error = null;
    try {
      if (this.mode === 'forgot') return await this.forgot(email);
      const register = this.mode === 'register';
      const body: Record<string, string> = { email, password: field('password') };
      if (register) body.name = field('name').trim();
      if (register && this.invite) body.inviteToken = this.invite;
      const session = await this.rest.request<{ token: string; user: Account }>('POST', register ? '/api/auth/register' : '/api/auth/login', body);
      localStorage.setItem(EMAIL_KEY, email);
      emit<SessionDetail>(this, 'taskwire-session', { ...session, joined: register && !!this.invite });
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.busy = false;
    }
  }

  /** The same answer for every address: only an unreachable server is worth saying. */
  private async forgot(email: string): Promise<void> {
    this.sent = false;
    if (!email) throw new Error('Enter the address of your account.');
    try {
      await this.rest.request('POST', '/api/auth/password-reset', { email });
    } catch (error) {
      if (error instanceof ApiError && error.status === 0) throw error;
    }
    this.sent = true;
  }
}
