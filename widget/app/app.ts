// The app page's own script (GET /app.js): sign in or up (./sign-in.ts), the
// pages mailed links open (./account-pages.ts), projects, members, roles and
// pending invites, then the same <taskwire-board> and <taskwire-chat> a host site
// embeds; the notification bell in the header (./inbox.ts), #/settings
// (./settings.ts), the Insights tab (./insights.ts, with Chart.js), for project
// admins the Integrations tab (./integrations.ts, with ./plugins.ts) and, for
// instance admins, #/admin (./admin.ts); those three are fetched on first use
// (./lazy.ts): few people open them, and the charts are most of the code.
// The project list follows the person live (the per-user `membership` socket
// event): a project they are added to appears, a role change shows, and the
// page of a project they were removed from says so. At 480 px and less the
// list sits behind a menu button (./shell-styles.ts).
// It imports lit and the elements from /widget.js (the build maps ../src/index.js
// there), so the page loads one copy of each.

import { ApiError, LiveController, RestClient, SCRIPT_ORIGIN, LitElement, avatar, defineOnce, html, loadChat, nothing, theme } from '../src/index.js';
import type { ProjectView, Role } from '../src/index.js';
import type { Inbox } from '../src/notifications.js';
import { TaskwireLinkPage } from './account-pages.js';
import { SESSION_KEY, enc, messageOf, states, type Account, type AuthOptions, type LinkDetail, type LinkKind, type SessionDetail } from './common.js';
import { TaskwireEmbedTokens } from './embed.js';
import { PROJECT_NAME, counter, limitStyles, refusal } from './field-limit.js';
import { TaskwireMembers, type MembershipsDetail } from './members.js';
import { TaskwireInbox } from './inbox.js';
import { onDemand } from './lazy.js';
import { TaskwireSettings } from './settings.js';
import { TaskwireSignIn } from './sign-in.js';
import { shellStyles } from './shell-styles.js';
import { appStyles } from './styles.js';

/** The chat is a chunk /widget.js fetches (on idle, or now when asked): the Chat tab asks at once. */
const loadChatElement = (): Promise<void> => loadChat().then(() => undefined);

type View = 'board' | 'chat' | 'insights' | 'members' | 'embed' | 'integrations';
const VIEWS: { key: View; label: string }[] = [
  { key: 'board', label: 'Board' },
  { key: 'chat', label: 'Chat' },
  { key: 'insights', label: 'Insights' },
  { key: 'members', label: 'Members' },
  { key: 'embed', label: 'Embed' },
  { key: 'integrations', label: 'Integrations' },
];
const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };
const SIGNED_OUT = 'You were signed out: your session ended (a new password, or an administrator disabled the account). Sign in again.';

const server = location.origin || SCRIPT_ORIGIN;

/** The per-user `membership` socket event (docs/API.md). */
interface MembershipEvent {
  projectId: string;
  action: 'added' | 'role_changed' | 'removed';
  role: Role | null;
}

// Each defines its elements, the plugins section before the tab that shows it.
async function loadIntegrations(): Promise<void> {
  const [tab, plugins] = await Promise.all([import('./integrations.js'), import('./plugins.js')]);
  defineOnce('taskwire-plugins', plugins.TaskwirePlugins);
  defineOnce('taskwire-integrations', tab.TaskwireIntegrations);
}

async function loadInsights(): Promise<void> {
  defineOnce('taskwire-insights', (await import('./insights.js')).TaskwireInsights);
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
  static override properties = states('token me projects route link notice error busy flash menuOpen projectName nameRefusal');

  static override styles = [theme, appStyles, limitStyles, shellStyles];

  token: string | null = localStorage.getItem(SESSION_KEY);
  me: Account | null = null;
  projects: ProjectView[] = [];
  route = readRoute();
  /** The mailed link this page was opened with, until it is done. */
  link = readLink();
  /** Said on the sign-in card: why it is shown again. */
  notice = '';
  error: string | null = null;
  busy = false;
  flash: string | null = null;
  /** The project list is open over the page (phones). */
  menuOpen = false;
  /** What the "New project" field holds, for its counter. */
  projectName = '';
  /** Why the "New project" name was not sent. */
  nameRefusal: string | null = null;
  /** False until the project list was read: a project's address is not "not yours" before that. */
  private projectsLoaded = false;
  /** Stops listening to the per-user events on the shared socket. */
  private unlisten: (() => void)[] = [];

  private options: AuthOptions | null = null;
  /** The signed-in user's inbox: its socket is cut when the account's tokens are (disabled, new password). */
  private inbox: Inbox | null = null;
  private checked: Inbox | null = null;
  private checking = false;
  /** The first load of the signed-in account (a link page may finish before it). */
  private starting: Promise<void> = Promise.resolve();

  private readonly onHash = () => {
    this.route = readRoute();
    this.error = null;
    this.menuOpen = false;
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
    const key = { server, token: this.token, userToken: null };
    this.unlisten.forEach((stop) => stop());
    this.unlisten = [
      LiveController.listen(key, 'membership', (e: MembershipEvent) => void this.membershipChanged(e)),
      // Events missed while disconnected: the list is read again on every (re)connect.
      LiveController.listen(key, 'connect', () => void this.loadProjects().catch(() => undefined)),
    ];
  }

  /** Someone added this person to a project, changed their role or removed them: the list follows, and says so. */
  private async membershipChanged(e: MembershipEvent): Promise<void> {
    const before = this.projects.find((p) => p.id === e.projectId);
    await this.loadProjects();
    const name = (this.projects.find((p) => p.id === e.projectId) ?? before)?.name ?? 'a project';
    if (e.action === 'added') this.notify(`You were added to ${name} as ${e.role}.`);
    else if (e.action === 'role_changed' && before?.role !== e.role) this.notify(`Your role in ${name} is now ${e.role}.`);
    else if (e.action === 'removed' && before) this.notify(`You are no longer a member of ${name}.`);
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
    this.projectsLoaded = true;
    if (!this.link && !this.route.projectId && this.route.page === 'project' && this.projects[0]) this.go(this.projects[0].id, 'board');
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
      <div class="shell ${this.menuOpen ? 'menu-open' : ''}" @taskwire-connection=${(e: CustomEvent<{ state: string }>) => e.detail.state === 'unauthorized' && void this.checkSession()}>
        <header class="topbar">
          <button class="btn ghost menu-button" aria-expanded=${String(this.menuOpen)} aria-controls="projects-nav" @click=${() => (this.menuOpen = !this.menuOpen)}>
            <span aria-hidden="true">☰</span> Projects
          </button>
          <a class="logo" href="#/"><img src="/favicon.svg" alt="" width="22" height="22" /> Taskwire</a>
          <span class="spacer"></span>
          ${me.isAdmin ? html`<a class="btn ghost nav-link admin-link" href="#/admin" aria-current=${page === 'admin' ? 'page' : 'false'}>Admin</a>` : nothing}
          <taskwire-inbox id="inbox" .server=${server} .token=${this.token}></taskwire-inbox>
          <a class="btn ghost nav-link settings-link" href="#/settings" aria-current=${page === 'settings' ? 'page' : 'false'}>Settings</a>
          <details class="account">
            <summary class="who">
              <span aria-hidden="true">${avatar(me.id, me.name)}</span> <span class="sr-only">Account of</span> <span class="account-name">${me.name}</span>
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
        <nav class="sidebar" id="projects-nav" aria-label="Projects">
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
          <form class="new-project" novalidate @submit=${(e: Event) => this.createProject(e)}>
            <label for="new-project">New project</label>
            <div class="row">
              <input
                id="new-project"
                name="name"
                placeholder="Project name"
                aria-describedby="new-project-counter new-project-refusal"
                .value=${this.projectName}
                @input=${(e: Event) => (this.projectName = (e.target as HTMLInputElement).value)}
              />
              <button class="btn primary" ?disabled=${this.busy}>Create</button>
            </div>
            ${counter(this.projectName, PROJECT_NAME, 'new-project-counter')}
            ${this.nameRefusal ? html`<p class="refusal" id="new-project-refusal" role="alert">${this.nameRefusal}</p>` : nothing}
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
              : this.route.projectId && this.projectsLoaded
                ? html`<section class="panel not-yours" role="status">
                    <h1>This project is not among yours</h1>
                    <p>You were removed from it, or it was deleted; its board and chat are no longer open to you. Pick a project from the list.</p>
                  </section>`
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
        ${this.renderView(project, view, admin)}
      </section>
    `;
  }

  private renderView(project: ProjectView, view: View, admin: boolean) {
    switch (view) {
      case 'board':
        return html`<taskwire-board .server=${server} .project=${project.id} .token=${this.token!}></taskwire-board>`;
      case 'chat':
        return onDemand('taskwire-chat', loadChatElement, this, () => html`<taskwire-chat .server=${server} .project=${project.id} .token=${this.token!}></taskwire-chat>`);
      case 'insights':
        return onDemand('taskwire-insights', loadInsights, this, () => html`<taskwire-insights .server=${server} .token=${this.token!} .project=${project}></taskwire-insights>`);
      case 'members':
        return html`<taskwire-members
          .server=${server}
          .token=${this.token!}
          .project=${project}
          .meId=${this.me?.id ?? ''}
          .mailer=${this.options?.emailVerification !== false}
          @taskwire-memberships=${(e: CustomEvent<MembershipsDetail>) => this.ownMembershipChanged(e.detail)}
        ></taskwire-members>`;
      case 'embed':
        return this.renderEmbed(project);
      case 'integrations':
        return admin
          ? onDemand('taskwire-integrations', loadIntegrations, this, () => html`<taskwire-integrations .server=${server} .token=${this.token!} .project=${project}></taskwire-integrations>`)
          : html`<p class="panel">Only project admins and owners manage integrations.</p>`;
    }
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
    this.unlisten.forEach((stop) => stop());
    this.unlisten = [];
    this.projects = [];
    this.projectsLoaded = false;
    this.notice = notice;
    if (location.hash) location.hash = '';
  }

  private async createProject(e: Event): Promise<void> {
    e.preventDefault();
    const name = this.projectName.trim();
    this.nameRefusal = refusal(name, PROJECT_NAME);
    if (this.nameRefusal) return;
    this.busy = true;
    try {
      const project = await this.rest.request<ProjectView>('POST', '/api/projects', { name });
      this.projectName = '';
      this.projects = [...this.projects, project];
      this.go(project.id, 'board');
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.busy = false;
    }
  }

  /** This person changed their own role, or left: the list (and, having left, the page) follows at once. */
  private async ownMembershipChanged(detail: MembershipsDetail): Promise<void> {
    if (detail.left) location.hash = '';
    await this.loadProjects();
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
defineOnce('taskwire-members', TaskwireMembers);
defineOnce('taskwire-inbox', TaskwireInbox);
defineOnce('taskwire-settings', TaskwireSettings);
defineOnce('taskwire-app', TaskwireApp);
