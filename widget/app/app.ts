// The app page's own script (GET /app.js): sign in or up, projects, members and
// roles, then the same <taskwire-board> and <taskwire-chat> a host site embeds;
// the notification bell in the header (./inbox.ts) and #/settings (./settings.ts).
// It imports lit and the elements from /widget.js (the build maps ../src/index.js
// there), so the page loads one copy of each.

import { ApiError, RestClient, SCRIPT_ORIGIN, LitElement, avatar, defineOnce, html, nothing, theme } from '../src/index.js';
import type { MemberView, ProjectView, Role } from '../src/index.js';
import { TaskwireEmbedTokens } from './embed.js';
import { TaskwireInbox } from './inbox.js';
import { TaskwireSettings } from './settings.js';
import { appStyles } from './styles.js';

type View = 'board' | 'chat' | 'members' | 'embed';
const VIEWS: { key: View; label: string }[] = [
  { key: 'board', label: 'Board' },
  { key: 'chat', label: 'Chat' },
  { key: 'members', label: 'Members' },
  { key: 'embed', label: 'Embed' },
];
const ROLES: Role[] = ['viewer', 'member', 'admin', 'owner'];
const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };
const SESSION_KEY = 'taskwire.session';

interface Me {
  id: string;
  name: string;
  email: string;
}

const server = location.origin || SCRIPT_ORIGIN;

function readRoute(): { projectId: string | null; view: View; settings: boolean } {
  if (/^#\/settings\b/.test(location.hash)) return { projectId: null, view: 'board', settings: true };
  const [, projectId, view] = /^#\/projects\/([^/]+)(?:\/(\w+))?/.exec(location.hash) ?? [];
  return { projectId: projectId ? decodeURIComponent(projectId) : null, view: VIEWS.some((v) => v.key === view) ? (view as View) : 'board', settings: false };
}

export class TaskwireApp extends LitElement {
  static override properties = {
    token: { state: true },
    me: { state: true },
    projects: { state: true },
    route: { state: true },
    members: { state: true },
    authMode: { state: true },
    error: { state: true },
    busy: { state: true },
    flash: { state: true },
  };

  static override styles = [theme, appStyles];

  token: string | null = localStorage.getItem(SESSION_KEY);
  me: Me | null = null;
  projects: ProjectView[] = [];
  route = readRoute();
  members: MemberView[] | null = null;
  authMode: 'login' | 'register' = 'login';
  error: string | null = null;
  busy = false;
  flash: string | null = null;

  private readonly onHash = () => {
    this.route = readRoute();
    this.members = null;
    this.error = null;
    if (this.route.view === 'members') void this.loadMembers();
  };

  private get rest(): RestClient {
    return new RestClient({ server, token: this.token, userToken: null });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHash);
    if (this.token) void this.start();
  }

  override disconnectedCallback(): void {
    window.removeEventListener('hashchange', this.onHash);
    super.disconnectedCallback();
  }

  private async start(): Promise<void> {
    try {
      this.me = await this.rest.me();
      await this.loadProjects();
      if (this.route.view === 'members') await this.loadMembers();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.signOutLocally();
      else this.error = messageOf(error);
    }
  }

  private async loadProjects(): Promise<void> {
    this.projects = await this.rest.all<ProjectView>('/api/projects');
    if (!this.route.projectId && !this.route.settings && this.projects[0]) this.go(this.projects[0].id, 'board');
  }

  private async loadMembers(): Promise<void> {
    const id = this.route.projectId;
    if (!id || !this.token) return;
    try {
      this.members = await this.rest.members(id);
    } catch (error) {
      this.error = messageOf(error);
    }
  }

  private go(projectId: string, view: View): void {
    location.hash = `#/projects/${encodeURIComponent(projectId)}/${view}`;
  }

  private get project(): ProjectView | null {
    return this.projects.find((p) => p.id === this.route.projectId) ?? null;
  }

  override render() {
    if (!this.token || !this.me) return this.token ? html`<div class="loading">Loading…</div>` : this.renderAuth();
    const project = this.project;
    return html`
      <div class="shell">
        <header class="topbar">
          <a class="logo" href="#/"><img src="/favicon.svg" alt="" width="22" height="22" /> Taskwire</a>
          <span class="spacer"></span>
          <taskwire-inbox id="inbox" .server=${server} .token=${this.token}></taskwire-inbox>
          <a class="btn ghost settings-link" href="#/settings" aria-current=${this.route.settings ? 'page' : 'false'}>Settings</a>
          <span class="who">${avatar(this.me.id, this.me.name)} ${this.me.name}</span>
          <button class="btn ghost" @click=${() => this.signOut()}>Sign out</button>
        </header>
        <nav class="sidebar" aria-label="Projects">
          <h2>Projects</h2>
          <ul class="projects">
            ${this.projects.map(
              (p) => html`<li>
                <a class="project ${p.id === project?.id ? 'current' : ''}" href="#/projects/${encodeURIComponent(p.id)}/board" aria-current=${p.id === project?.id ? 'page' : 'false'}>
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
          ${this.route.settings
            ? html`<taskwire-settings id="settings" .server=${server} .token=${this.token}></taskwire-settings>`
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
    return html`
      <header class="project-header">
        <div>
          <h1>${project.name}</h1>
          ${project.description ? html`<p class="description">${project.description}</p>` : nothing}
        </div>
        <nav class="tabs" aria-label="Project views">
          ${VIEWS.map((v) => html`<a class="tab" href="#/projects/${encodeURIComponent(project.id)}/${v.key}" aria-current=${v.key === view ? 'page' : 'false'}>${v.label}</a>`)}
        </nav>
      </header>
      <section class="view view-${view}">
        ${view === 'board'
          ? html`<taskwire-board .server=${server} .project=${project.id} .token=${this.token!}></taskwire-board>`
          : view === 'chat'
            ? html`<taskwire-chat .server=${server} .project=${project.id} .token=${this.token!}></taskwire-chat>`
            : view === 'members'
              ? this.renderMembers(project)
              : this.renderEmbed(project)}
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
            <p class="hint">People with an account join at once; others get an invite that waits for them to sign up with this email.</p>
            <div class="row">
              <input name="email" type="email" placeholder="name@example.com" aria-label="Email" required />
              <select name="role" aria-label="Role">${roles.map((r) => html`<option value=${r} ?selected=${r === 'member'}>${r}</option>`)}</select>
              <button class="btn primary" ?disabled=${this.busy}>Invite</button>
            </div>
          </form>`
        : html`<p class="hint">Only admins and owners manage members.</p>`}
      <dl class="panel legend">
        <dt>viewer</dt><dd>reads the board and the chat</dd>
        <dt>member</dt><dd>also writes tasks and messages</dd>
        <dt>admin</dt><dd>also manages members, rooms and settings</dd>
        <dt>owner</dt><dd>also deletes the project; a project keeps at least one</dd>
      </dl>
    `;
  }

  /** Embed tokens (admins) and how to embed: its own element, ./embed.ts. */
  private renderEmbed(project: ProjectView) {
    return html`<taskwire-embed-tokens id="embed-tokens" .server=${server} .project=${project} .session=${this.token ?? ''}></taskwire-embed-tokens>`;
  }

  private renderAuth() {
    const register = this.authMode === 'register';
    return html`
      <div class="auth">
        <form class="auth-card" @submit=${(e: Event) => this.authenticate(e)}>
          <div class="brand"><img src="/favicon.svg" alt="" width="32" height="32" /><span>Taskwire</span></div>
          <p class="tagline">Projects, tasks and chat, live.</p>
          <div class="switch" role="tablist">
            <button type="button" role="tab" aria-selected=${String(!register)} @click=${() => this.setAuthMode('login')}>Sign in</button>
            <button type="button" role="tab" aria-selected=${String(register)} @click=${() => this.setAuthMode('register')}>Create account</button>
          </div>
          ${register ? html`<label>Name <input name="name" autocomplete="name" required maxlength="100" /></label>` : nothing}
          <label>Email <input name="email" type="email" autocomplete="email" required /></label>
          <label>Password <input name="password" type="password" autocomplete=${register ? 'new-password' : 'current-password'} required minlength=${register ? 8 : 1} /></label>
          ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
          <button class="btn primary wide" ?disabled=${this.busy}>${register ? 'Create account' : 'Sign in'}</button>
        </form>
      </div>
    `;
  }

  // ---- actions

  private setAuthMode(mode: 'login' | 'register'): void {
    this.authMode = mode;
    this.error = null;
  }

  private async authenticate(e: Event): Promise<void> {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const body: Record<string, string> = { email: String(data.get('email') ?? ''), password: String(data.get('password') ?? '') };
    if (this.authMode === 'register') body.name = String(data.get('name') ?? '');
    this.busy = true;
    this.error = null;
    try {
      const session = await new RestClient({ server, token: null, userToken: null }).request<{ token: string; user: Me }>(
        'POST',
        this.authMode === 'register' ? '/api/auth/register' : '/api/auth/login',
        body,
      );
      localStorage.setItem(SESSION_KEY, session.token);
      this.token = session.token;
      await this.start();
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.busy = false;
    }
  }

  private async signOut(): Promise<void> {
    try {
      await this.rest.request('POST', '/api/auth/logout');
    } catch {
      // The session is forgotten here either way.
    }
    this.signOutLocally();
  }

  private signOutLocally(): void {
    localStorage.removeItem(SESSION_KEY);
    this.token = null;
    this.me = null;
    this.projects = [];
    location.hash = '';
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
      const added = await this.rest.request<{ member?: MemberView; invite?: { email: string } }>('POST', `/api/projects/${encodeURIComponent(project.id)}/members`, {
        email: String(data.get('email') ?? ''),
        role: String(data.get('role') ?? 'member'),
      });
      form.reset();
      this.notify(added.member ? `${added.member.name} joined the project.` : `Invite saved for ${added.invite?.email}: they join when they sign up.`);
      await this.loadMembers();
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.busy = false;
    }
  }

  private async changeRole(project: ProjectView, member: MemberView, role: Role): Promise<void> {
    try {
      await this.rest.request('PATCH', `/api/projects/${encodeURIComponent(project.id)}/members/${encodeURIComponent(member.userId)}`, { role });
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
      await this.rest.request('DELETE', `/api/projects/${encodeURIComponent(project.id)}/members/${encodeURIComponent(member.userId)}`);
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

function messageOf(error: unknown): string {
  if (error instanceof ApiError && error.details.length) {
    return `${error.message} ${error.details.map((d) => [d.path, d.message].filter(Boolean).join(' ')).join('; ')}`;
  }
  return error instanceof Error ? error.message : 'Something went wrong.';
}

defineOnce('taskwire-embed-tokens', TaskwireEmbedTokens);
defineOnce('taskwire-inbox', TaskwireInbox);
defineOnce('taskwire-settings', TaskwireSettings);
defineOnce('taskwire-app', TaskwireApp);
