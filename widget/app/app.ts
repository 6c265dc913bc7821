// The app page's own script (GET /app.js): sign in or up (./sign-in.ts), the
// pages mailed links open (./account-pages.ts), projects, members, roles and
// pending invites, then the same <taskwire-board> and <taskwire-chat> a host site
// embeds; the notification bell in the header (./inbox.ts), #/settings
// (./settings.ts), for project admins the Integrations tab (./integrations.ts,
// with ./plugins.ts) and, for instance admins, #/admin (./admin.ts); those two
// are fetched on first use (./lazy.ts): few people open them.
// It imports lit and the elements from /widget.js (the build maps ../src/index.js
// there), so the page loads one copy of each.

import { ApiError, LiveController, RestClient, SCRIPT_ORIGIN, LitElement, avatar, defineOnce, html, nothing, theme } from '../src/index.js';
import type { MemberView, ProjectView, Role } from '../src/index.js';
import type { Inbox } from '../src/notifications.js';
import type { InviteView } from '../../core/presenters/views.js';
import { TaskwireLinkPage } from './account-pages.js';
import { SESSION_KEY, enc, messageOf, states, when, type Account, type AuthOptions, type LinkDetail, type LinkKind, type SessionDetail } from './common.js';
import { TaskwireEmbedTokens } from './embed.js';
import { TaskwireInbox } from './inbox.js';
import { onDemand } from './lazy.js';
import { TaskwireSettings } from './settings.js';
import { TaskwireSignIn } from './sign-in.js';
import { appStyles } from './styles.js';

type View = 'board' | 'chat' | 'members' | 'embed' | 'integrations';
const VIEWS: { key: View; label: string }[] = [
  { key: 'board', label: 'Board' },
  { key: 'chat', label: 'Chat' },
  { key: 'members', label: 'Members' },
  { key: 'embed', label: 'Embed' },
  { key: 'integrations', label: 'Integrations' },
];
const ROLES: Role[] = ['viewer', 'member', 'admin', 'owner'];
const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };
const SIGNED_OUT = 'You were signed out: your session ended (a new password, or an administrator disabled the account). Sign in again.';

const server = location.origin || SCRIPT_ORIGIN;

// Each defines its elements, the plugins section before the tab that shows it.
async function loadIntegrations(): Promise<void> {
  const [tab, plugins] = await Promise.all([import('./integrations.js'), import('./plugins.js')]);
  defineOnce('taskwire-plugins', plugins.TaskwirePlugins);
  defineOnce('taskwire-integrations', tab.TaskwireIntegrations);
}

async function loadAdmin(): Promise<void> {
  defineOnce('taskwire-admin', (await import('./admin.js')).TaskwireAdmin);
}

/** `#/settings`, `#/admin`, or a project and one of its views. */
function readRoute(): { projectId: string | null; view: View; page: 'project' | 'settings' | 'admin' } {
  const page = /^#\/(settings|admin)\b/.exec(location.hash)?.[1] as 'settings' | 'admin' | undefined;
  if (page) return { projectId: null, view: 'board', page };
  const [, projectId, view] = /^#\/projects\/([^/]+)(?:\/(\w+))?/.exec(location.hash) ?? [];
  return { projectId: projectId ? decodeURIComponent(projectId) : null, view: VIEWS.some((v) => v.key === view) ? (view as View) : 'board', page: 'project' };
}

/** The page a link opened (`/invite?token=…`, `/reset-password?token=…`, `/verify-email?token=…`, `/connect?code=…` from `/task connect`), if any. */
function readLink(): { kind: LinkKind; token: string } | null {
  const kind = location.pathname.replace(/\/+$/, '').slice(1);
  if (kind !== 'invite' && kind !== 'reset-password' && kind !== 'verify-email' && kind !== 'connect') return null;
  return { kind, token: new URLSearchParams(location.search).get(kind === 'connect' ? 'code' : 'token') ?? '' };
}

export class TaskwireApp extends LitElement {
  static override properties = states('token me projects route members invites link notice error busy flash');

  static override styles = [theme, appStyles];

  token: string | null = localStorage.getItem(SESSION_KEY);
  me: Account | null = null;
  projects: ProjectView[] = [];
  route = readRoute();
  members: MemberView[] | null = null;
  /** The project's pending and expired invites (project admins), else null. */
  invites: InviteView[] | null = null;
  /** The mailed link this page was opened with, until it is done. */
  link = readLink();
  /** Said on the sign-in card: why it is shown again. */
  notice = '';
  error: string | null = null;
  busy = false;
  flash: string | null = null;

  private options: AuthOptions | null = null;
  /** The signed-in user's inbox: its socket is cut when the account's tokens are (disabled, new password). */
  private inbox: Inbox | null = null;
  private checked: Inbox | null = null;
  private checking = false;
  /** The first load of the signed-in account (a link page may finish before it). */
  private starting: Promise<void> = Promise.resolve();

  private readonly onHash = () => {
    this.route = readRoute();
    this.members = null;
    this.invites = null;
    this.error = null;
    if (this.route.view === 'members') void this.loadMembers();
  };

  /** A click outside the account menu closes it. */
  private readonly onDocument = (e: Event) => {
    const menu = this.renderRoot.querySelector('details.account');
    if (menu && !e.composedPath().includes(menu)) menu.removeAttribute('open');
  };

  private get rest(): RestClient {
    return new RestClient({ server, token: this.token, userToken: null });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHash);
    document.addEventListener('click', this.onDocument);
    if (this.token) this.starting = this.start();
  }

  override disconnectedCallback(): void {
    window.removeEventListener('hashchange', this.onHash);
    document.removeEventListener('click', this.onDocument);
    super.disconnectedCallback();
  }

  protected override updated(): void {
    // The inbox gives up when the server cuts its socket: find out whether the session itself ended.
    if (this.inbox?.enabled === false && this.checked !== this.inbox) {
      this.checked = this.inbox;
      void this.checkSession();
    }
  }

  private async start(): Promise<void> {
    try {
      const [me] = await Promise.all([this.rest.me(), this.loadOptions()]);
      this.me = me as Account;
      this.watchSession();
      await this.loadProjects();
      if (this.route.view === 'members') await this.loadMembers();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.signOutLocally(SIGNED_OUT);
      else this.error = messageOf(error);
    }
  }

  private async loadOptions(): Promise<void> {
    this.options ??= await new RestClient({ server, token: null, userToken: null }).request<AuthOptions>('GET', '/api/auth/options').catch(() => null);
  }

  /** Follows the session through the inbox's socket (shared with the bell), so a cut session signs this page out at once. */
  private watchSession(): void {
    const inbox = LiveController.inbox({ server, token: this.token, userToken: null });
    if (inbox === this.inbox) return;
    this.inbox?.detach(this);
    this.inbox = inbox;
    inbox.attach(this);
  }

  /** Signs this page out if the server no longer knows its token. */
  private async checkSession(): Promise<void> {
    const token = this.token;
    if (!token || this.checking) return;
    this.checking = true;
    try {
      await this.rest.me();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401 && this.token === token) this.signOutLocally(SIGNED_OUT);
    } finally {
      this.checking = false;
    }
  }

  private async loadProjects(): Promise<void> {
    this.projects = await this.rest.all<ProjectView>('/api/projects');
    if (!this.link && !this.route.projectId && this.route.page === 'project' && this.projects[0]) this.go(this.projects[0].id, 'board');
  }

  private async loadMembers(): Promise<void> {
    const id = this.route.projectId;
    if (!id || !this.token) return;
    const admin = RANK[this.project?.role ?? 'viewer'] >= RANK.admin;
    try {
      const [members, invites] = await Promise.all([
        this.rest.members(id),
        admin ? this.rest.request<{ items: InviteView[] }>('GET', `/api/projects/${enc(id)}/invites`).then((page) => page.items) : null,
      ]);
      this.members = members;
      this.invites = invites;
    } catch (error) {
      this.error = messageOf(error);
    }
  }

  private go(projectId: string, view: View): void {
    location.hash = `#/projects/${enc(projectId)}/${view}`;
  }

  private get project(): ProjectView | null {
    return this.projects.find((p) => p.id === this.route.projectId) ?? null;
  }

  override render() {
    const link = this.link;
    const loading = html`<div class="loading">Loading…</div>`;
    // An invite or a chat account's code needs an account: signed out, the sign-in card comes first
    // (and takes an invite's token); every other link works signed out.
    const account = link?.kind === 'invite' || link?.kind === 'connect';
    if (link && (!account || this.token)) {
      if (account && !this.me) return loading;
      return html`<taskwire-link-page
        .server=${server}
        .kind=${link.kind}
        .token=${link.token}
        .session=${this.token ?? ''}
        .email=${this.me?.email ?? ''}
        .name=${this.me?.name ?? ''}
        @taskwire-link=${(e: CustomEvent<LinkDetail>) => this.linkDone(e.detail)}
      ></taskwire-link-page>`;
    }
    if (!this.token) {
      return html`<taskwire-sign-in
        .server=${server}
        .invite=${link?.kind === 'invite' ? link.token : ''}
        .notice=${this.notice || (link?.kind === 'connect' ? 'Sign in to connect your Slack or Discord account.' : '')}
        @taskwire-session=${(e: CustomEvent<SessionDetail>) => this.signedIn(e.detail)}></taskwire-sign-in>`;
    }
    if (!this.me) return loading;
    const me = this.me;
    const page = this.route.page;
    const project = this.project;
    return html`
      <div class="shell" @taskwire-connection=${(e: CustomEvent<{ state: string }>) => e.detail.state === 'unauthorized' && void this.checkSession()}>
        <header class="topbar">
          <a class="logo" href="#/"><img src="/favicon.svg" alt="" width="22" height="22" /> Taskwire</a>
          <span class="spacer"></span>
          ${me.isAdmin ? html`<a class="btn ghost nav-link admin-link" href="#/admin" aria-current=${page === 'admin' ? 'page' : 'false'}>Admin</a>` : nothing}
          <taskwire-inbox id="inbox" .server=${server} .token=${this.token}></taskwire-inbox>
          <a class="btn ghost nav-link settings-link" href="#/settings" aria-current=${page === 'settings' ? 'page' : 'false'}>Settings</a>
          <details class="account">
            <summary class="who" aria-label="Account of ${me.name}${me.verified ? '' : ', address not confirmed'}">
              ${avatar(me.id, me.name)} <span class="account-name">${me.name}</span>
              ${me.verified ? nothing : html`<span class="pill warn unverified">address not confirmed</span>`}
            </summary>
            <div class="panel account-menu">
              <b>${me.name}</b>
              <span class="hint email">${me.email}</span>
              ${me.verified
                ? nothing
                : html`<p class="hint unverified-note">
                    Your address is not confirmed yet: ${this.options?.emailVerification ? 'open the link we mailed to it.' : 'an administrator can mark it verified.'}
                  </p>`}
              <a class="btn ghost" href="#/settings">Notification settings</a>
              <button class="btn ghost sign-out" @click=${() => this.signOut()}>Sign out</button>
            </div>
          </details>
        </header>
        <nav class="sidebar" aria-label="Projects">
          <h2>Projects</h2>
          <ul class="projects">
            ${this.projects.map(
              (p) => html`<li>
                <a class="project ${p.id === project?.id ? 'current' : ''}" href="#/projects/${enc(p.id)}/board" aria-current=${p.id === project?.id ? 'page' : 'false'}>
                  <span class="project-name">${p.name}</span><span class="role">${p.role}</span>
                </a>
              </li>`,
            )}
          </ul>
          <form class="new-project" @submit=${(e: Event) => this.createProject(e)}>
            <label for="new-project">New project</label>
            <div class="row">
              <input id="new-project" name="name" placeholder="Project name" maxlength="100" required />
              <button class="btn primary" ?disabled=${this.busy}>Create</button>
            </div>
          </form>
        </nav>
        <main class="content">
          ${this.flash ? html`<div class="flash" role="status">${this.flash}</div>` : nothing}
          ${this.error ? html`<div class="error" role="alert">${this.error} <button class="btn ghost" @click=${() => (this.error = null)}>Dismiss</button></div>` : nothing}
          ${page === 'settings'
            ? html`<taskwire-settings id="settings" .server=${server} .token=${this.token}></taskwire-settings>`
            : page === 'admin'
              ? me.isAdmin
                ? onDemand('taskwire-admin', loadAdmin, this, () => html`<taskwire-admin id="admin" .server=${server} .token=${this.token} .meId=${me.id} .mailer=${this.options?.emailVerification !== false}></taskwire-admin>`)
                : html`<p class="panel">Only instance administrators see this page.</p>`
              : project
              ? this.renderProject(project)
              : this.renderWelcome()}
        </main>
      </div>
    `;
  }

  private renderWelcome() {
    return html`<section class="welcome">
      <h1>Welcome, ${this.me?.name}</h1>
      <p>${this.projects.length ? 'Pick a project on the left.' : 'Create your first project on the left: it starts with a board (To do, Doing, Done) and a #general room.'}</p>
    </section>`;
  }

  private renderProject(project: ProjectView) {
    const view = this.route.view;
    const admin = RANK[project.role] >= RANK.admin;
    return html`
      <header class="project-header">
        <div>
          <h1>${project.name}</h1>
          ${project.description ? html`<p class="description">${project.description}</p>` : nothing}
        </div>
        <nav class="tabs" aria-label="Project views">
          ${VIEWS.filter((v) => admin || v.key !== 'integrations').map((v) => html`<a class="tab" href="#/projects/${enc(project.id)}/${v.key}" aria-current=${v.key === view ? 'page' : 'false'}>${v.label}</a>`)}
        </nav>
      </header>
      <section class="view view-${view}">
        ${view === 'board'
          ? html`<taskwire-board .server=${server} .project=${project.id} .token=${this.token!}></taskwire-board>`
          : view === 'chat'
            ? html`<taskwire-chat .server=${server} .project=${project.id} .token=${this.token!}></taskwire-chat>`
            : view === 'members'
              ? this.renderMembers(project)
              : view === 'embed'
                ? this.renderEmbed(project)
                : admin
                  ? onDemand('taskwire-integrations', loadIntegrations, this, () => html`<taskwire-integrations .server=${server} .token=${this.token!} .project=${project}></taskwire-integrations>`)
                  : html`<p class="panel">Only project admins and owners manage integrations.</p>`}
      </section>
    `;
  }

  private renderMembers(project: ProjectView) {
    const admin = RANK[project.role] >= RANK.admin;
    const members = this.members;
    if (!members) return html`<div class="loading">Loading members…</div>`;
    const roles = ROLES.filter((r) => project.role === 'owner' || r !== 'owner');
    return html`
      <div class="panel">
        <h2>Members <span class="count">${members.length}</span></h2>
        <table class="members">
          <thead>
            <tr><th>Name</th><th>Email</th><th>Role</th><th><span class="sr-only">Actions</span></th></tr>
          </thead>
          <tbody>
            ${members.map((m) => {
              const self = m.userId === this.me?.id;
              const editable = admin && (project.role === 'owner' || m.role !== 'owner');
              return html`<tr data-user=${m.userId}>
                <td><span class="name">${avatar(m.userId, m.name)} ${m.name}${self ? html` <span class="you">you</span>` : nothing}</span></td>
                <td class="email">${m.email}</td>
                <td>
                  ${editable
                    ? html`<select aria-label="Role of ${m.name}" @change=${(e: Event) => this.changeRole(project, m, (e.target as HTMLSelectElement).value as Role)}>
                        ${roles.map((r) => html`<option value=${r} ?selected=${r === m.role}>${r}</option>`)}
                      </select>`
                    : html`<span class="role">${m.role}</span>`}
                </td>
                <td class="actions">
                  ${editable || self ? html`<button class="btn ghost danger" @click=${() => this.removeMember(project, m)}>${self ? 'Leave' : 'Remove'}</button>` : nothing}
                </td>
              </tr>`;
            })}
          </tbody>
        </table>
      </div>
      ${admin
        ? html`<form class="panel invite" @submit=${(e: Event) => this.invite(e, project)}>
            <h2>Invite someone</h2>
            <p class="hint">People with a confirmed account join at once; any other address is mailed a link (valid 7 days) that only works for it.</p>
            <div class="row">
              <input name="email" type="email" placeholder="name@example.com" aria-label="Email" required />
              <select name="role" aria-label="Role">${roles.map((r) => html`<option value=${r} ?selected=${r === 'member'}>${r}</option>`)}</select>
              <button class="btn primary" ?disabled=${this.busy}>Invite</button>
            </div>
          </form>`
        : html`<p class="hint">Only admins and owners manage members.</p>`}
      ${admin && this.invites ? this.renderInvites(project, this.invites) : nothing}
      <dl class="panel legend">
        <dt>viewer</dt><dd>reads the board and the chat</dd>
        <dt>member</dt><dd>also writes tasks and messages</dd>
        <dt>admin</dt><dd>also manages members, rooms and settings</dd>
        <dt>owner</dt><dd>also deletes the project; a project keeps at least one</dd>
      </dl>
    `;
  }

  private renderInvites(project: ProjectView, invites: InviteView[]) {
    return html`<section class="panel invites" aria-labelledby="invites-title">
      <h2 id="invites-title">Pending invites <span class="count">${invites.length}</span></h2>
      ${invites.length
        ? html`<table class="list">
            <thead>
              <tr><th>Email</th><th>Role</th><th>State</th><th>Sent</th><th>Expires</th><th><span class="sr-only">Actions</span></th></tr>
            </thead>
            <tbody>
              ${invites.map(
                (i) => html`<tr data-invite=${i.id} data-email=${i.email} data-state=${i.state}>
                  <td class="email">${i.email}</td>
                  <td><span class="role">${i.role}</span></td>
                  <td><span class="pill ${i.state === 'expired' ? 'bad' : 'warn'} state">${i.state}</span></td>
                  <td class="sent"><time datetime=${i.sentAt ?? ''}>${when(i.sentAt)}</time></td>
                  <td class="expires"><time datetime=${i.expiresAt ?? ''}>${when(i.expiresAt)}</time></td>
                  <td class="actions">
                    <button class="btn ghost resend" ?disabled=${this.busy} @click=${() => this.inviteAction(project, i, 'resend')}>Resend</button>
                    <button class="btn ghost danger revoke" ?disabled=${this.busy} @click=${() => this.inviteAction(project, i, 'revoke')}>Revoke</button>
                  </td>
                </tr>`,
              )}
            </tbody>
          </table>`
        : html`<p class="hint">No pending invites.</p>`}
      <p class="hint">Resending mails a new link valid 7 days; the earlier one stops working. An expired invite needs a resend.</p>
    </section>`;
  }

  /** Embed tokens (admins) and how to embed: its own element, ./embed.ts. */
  private renderEmbed(project: ProjectView) {
    return html`<taskwire-embed-tokens id="embed-tokens" .server=${server} .project=${project} .session=${this.token ?? ''}></taskwire-embed-tokens>`;
  }

  // ---- actions

  /** Signed in or up on the sign-in card. */
  private async signedIn(session: SessionDetail): Promise<void> {
    localStorage.setItem(SESSION_KEY, session.token);
    this.token = session.token;
    this.notice = '';
    // Signed up through an invite link: already in the project.
    if (session.joined) this.leaveLink('/');
    await (this.starting = this.start());
    if (session.joined && this.projects[0]) this.notify(`Welcome to ${this.projects[0].name}.`);
  }

  /** Out of a link page: the token leaves the address bar and the history. */
  private leaveLink(url: string): void {
    history.replaceState(null, '', url);
    this.link = null;
    this.route = readRoute();
  }

  private async linkDone(detail: LinkDetail): Promise<void> {
    if (detail.outcome === 'sign-out') return this.signOut();
    // A connected chat account shows in Settings: the page goes on there.
    this.leaveLink(detail.projectId ? `/#/projects/${enc(detail.projectId)}/board` : detail.kind === 'connect' ? '/#/settings' : '/');
    if (detail.kind === 'reset-password') {
      // The server ended every session of the account, this one too.
      this.signOutLocally('Your password is changed: sign in with the new one.');
    } else if (detail.kind === 'connect') {
      this.notify(detail.said ?? '');
    } else if (detail.kind === 'verify-email') {
      if (!this.token) this.notice = 'Your address is confirmed: sign in to go on.';
      this.notify('Your address is confirmed.');
      await this.starting;
      if (this.me) this.me = { ...this.me, verified: true };
      if (this.me && !this.route.projectId && this.projects[0]) this.go(this.projects[0].id, 'board');
    } else {
      // Joining by the mailed link also proved the address.
      [this.me] = await Promise.all([this.rest.me() as Promise<Account>, this.loadProjects()]);
      this.notify(`You joined ${this.project?.name ?? 'the project'}.`);
    }
  }

  private async signOut(): Promise<void> {
    try {
      await this.rest.request('POST', '/api/auth/logout');
    } catch {
      // The session is forgotten here either way.
    }
    this.signOutLocally('');
  }

  /** Forgets the session on this page; `notice` is what the sign-in card then says. */
  private signOutLocally(notice: string): void {
    this.inbox?.detach(this);
    this.inbox = this.checked = null;
    localStorage.removeItem(SESSION_KEY);
    this.token = null;
    this.me = null;
    this.projects = [];
    this.members = this.invites = null;
    this.notice = notice;
    if (location.hash) location.hash = '';
  }

  private async createProject(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const name = String(new FormData(form).get('name') ?? '').trim();
    if (!name) return;
    this.busy = true;
    try {
      const project = await this.rest.request<ProjectView>('POST', '/api/projects', { name });
      form.reset();
      this.projects = [...this.projects, project];
      this.go(project.id, 'board');
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.busy = false;
    }
  }

  private async invite(e: Event, project: ProjectView): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    this.busy = true;
    try {
      const added = await this.rest.request<{ member?: MemberView; invite?: { email: string } }>('POST', `/api/projects/${enc(project.id)}/members`, {
        email: String(data.get('email') ?? ''),
        role: String(data.get('role') ?? 'member'),
      });
      form.reset();
      const email = added.invite?.email ?? '';
      this.notify(
        added.member
          ? `${added.member.name} joined the project.`
          : this.options?.emailVerification === false
            ? `Invite for ${email} is in the admin outbox: no mail server is configured.`
            : `Invite mailed to ${email}.`,
      );
      await this.loadMembers();
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.busy = false;
    }
  }

  private async inviteAction(project: ProjectView, invite: InviteView, action: 'resend' | 'revoke'): Promise<void> {
    const path = `/api/projects/${enc(project.id)}/invites/${enc(invite.id)}`;
    this.busy = true;
    try {
      if (action === 'resend') await this.rest.request('POST', `${path}/resend`);
      else await this.rest.request('DELETE', path);
      this.notify(action === 'resend' ? `A new invite was mailed to ${invite.email}; the earlier link no longer works.` : `The invite for ${invite.email} is revoked.`);
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.busy = false;
    }
    await this.loadMembers();
  }

  private async changeRole(project: ProjectView, member: MemberView, role: Role): Promise<void> {
    try {
      await this.rest.request('PATCH', `/api/projects/${enc(project.id)}/members/${enc(member.userId)}`, { role });
      this.notify(`${member.name} is now ${role === 'admin' || role === 'owner' ? 'an' : 'a'} ${role}.`);
      if (member.userId === this.me?.id) await this.loadProjects();
    } catch (error) {
      this.error = messageOf(error);
    }
    await this.loadMembers();
  }

  private async removeMember(project: ProjectView, member: MemberView): Promise<void> {
    const self = member.userId === this.me?.id;
    if (!confirm(self ? `Leave ${project.name}?` : `Remove ${member.name} from ${project.name}?`)) return;
    try {
      await this.rest.request('DELETE', `/api/projects/${enc(project.id)}/members/${enc(member.userId)}`);
      if (self) {
        location.hash = '';
        await this.loadProjects();
      } else await this.loadMembers();
    } catch (error) {
      this.error = messageOf(error);
    }
  }

  private notify(text: string): void {
    this.flash = text;
    setTimeout(() => {
      if (this.flash === text) this.flash = null;
    }, 4000);
  }
}

defineOnce('taskwire-link-page', TaskwireLinkPage);
defineOnce('taskwire-sign-in', TaskwireSignIn);
defineOnce('taskwire-embed-tokens', TaskwireEmbedTokens);
defineOnce('taskwire-inbox', TaskwireInbox);
defineOnce('taskwire-settings', TaskwireSettings);
defineOnce('taskwire-app', TaskwireApp);
