// <taskwire-members>: the project's Members tab. Everyone sees the members and
// their roles; admins change roles, remove people, invite (a confirmed account
// joins at once, any other address gets a mailed link) and manage pending
// invites. Leaving is offered to everyone but a sole owner, who reads why not
// (a project always keeps an owner) instead of a Leave the server would refuse.
// What happened is said once: a new message replaces the previous one.

import { LitElement, RestClient, avatar, html, nothing } from '../src/index.js';
import type { MemberView, ProjectView, Role } from '../src/index.js';
import type { InviteView } from '../../core/presenters/views.js';
import { emit, enc, messageOf, states, when } from './common.js';
import { EMAIL, counter, limitStyles, refusal } from './field-limit.js';
import { screenStyles } from './styles.js';

const ROLES: Role[] = ['viewer', 'member', 'admin', 'owner'];
const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

/** `taskwire-memberships`: this person's own membership changed here (their role, or they left). */
export interface MembershipsDetail {
  projectId: string;
  left: boolean;
}

export class TaskwireMembers extends LitElement {
  static override properties = { server: {}, token: {}, project: { attribute: false }, meId: {}, mailer: { type: Boolean }, ...states('members invites said busy email') };

  static override styles = [...screenStyles, limitStyles];

  server = '';
  token = '';
  project: ProjectView | null = null;
  meId = '';
  /** The server mails invites (false: they wait in the admin outbox). */
  mailer = true;
  members: MemberView[] | null = null;
  /** The project's pending and expired invites (project admins), else null. */
  invites: InviteView[] | null = null;
  /** The one message shown: what just happened, or why it did not. */
  said: { ok: boolean; text: string } | null = null;
  busy = false;
  /** The invite form's address, for its counter and refusal. */
  email = '';

  private loadedFor: string | null = null;

  private get rest(): RestClient {
    return new RestClient({ server: this.server, token: this.token, userToken: null });
  }

  private get admin(): boolean {
    return RANK[this.project?.role ?? 'viewer'] >= RANK.admin;
  }

  protected override willUpdate(): void {
    const key = this.project ? `${this.project.id}:${this.project.role}` : null;
    if (key && key !== this.loadedFor) {
      this.loadedFor = key;
      void this.load();
    }
  }

  /** Reads the members (and, for admins, the invites) again. */
  async load(): Promise<void> {
    const id = this.project?.id;
    if (!id) return;
    try {
      const [members, invites] = await Promise.all([
        this.rest.members(id),
        this.admin ? this.rest.request<{ items: InviteView[] }>('GET', `/api/projects/${enc(id)}/invites`).then((page) => page.items) : null,
      ]);
      this.members = members;
      this.invites = invites;
    } catch (error) {
      this.say(false, messageOf(error));
    }
  }

  override render() {
    const project = this.project;
    const members = this.members;
    if (!project || !members) return html`<div class="loading">Loading members…</div>`;
    const admin = this.admin;
    const roles = ROLES.filter((r) => project.role === 'owner' || r !== 'owner');
    const soleOwner = project.role === 'owner' && members.filter((m) => m.role === 'owner').length === 1;
    return html`
      ${this.said ? html`<div class=${this.said.ok ? 'flash' : 'error'} role=${this.said.ok ? 'status' : 'alert'}>${this.said.text}</div>` : nothing}
      <div class="panel">
        <h2>Members <span class="count">${members.length}</span></h2>
        <table class="members">
          <thead>
            <tr><th>Name</th><th>Email</th><th>Role</th><th><span class="sr-only">Actions</span></th></tr>
          </thead>
          <tbody>
            ${members.map((m) => {
              const self = m.userId === this.meId;
              const editable = admin && (project.role === 'owner' || m.role !== 'owner');
              return html`<tr data-user=${m.userId}>
                <td><span class="name">${avatar(m.userId, m.name)} ${m.name}${self ? html` <span class="you">you</span>` : nothing}</span></td>
                <td class="email">${m.email}</td>
                <td>
                  ${editable && !(self && soleOwner)
                    ? html`<select aria-label="Role of ${m.name}" @change=${(e: Event) => this.changeRole(m, (e.target as HTMLSelectElement).value as Role)}>
                        ${roles.map((r) => html`<option value=${r} ?selected=${r === m.role}>${r}</option>`)}
                      </select>`
                    : html`<span class="role">${m.role}</span>`}
                </td>
                <td class="actions">
                  ${self && soleOwner
                    ? html`<span class="hint sole-owner">You are the only owner: make someone else owner before you can leave.</span>`
                    : editable || self
                      ? html`<button class="btn ghost danger" @click=${() => this.removeMember(m)}>${self ? 'Leave' : 'Remove'}</button>`
                      : nothing}
                </td>
              </tr>`;
            })}
          </tbody>
        </table>
      </div>
      ${admin ? this.renderInviteForm(roles) : html`<p class="hint">Only admins and owners manage members.</p>`}
      ${admin && this.invites ? this.renderInvites(this.invites) : nothing}
      <dl class="panel legend">
        <dt>viewer</dt><dd>reads the board and the chat</dd>
        <dt>member</dt><dd>also writes tasks and messages</dd>
        <dt>admin</dt><dd>also manages members, rooms and settings</dd>
        <dt>owner</dt><dd>also deletes the project; a project keeps at least one</dd>
      </dl>
    `;
  }

  private renderInviteForm(roles: Role[]) {
    return html`<form class="panel invite" novalidate @submit=${(e: Event) => this.invite(e)}>
      <h2>Invite someone</h2>
      <p class="hint">People with a confirmed account join at once; any other address is mailed a link (valid 7 days) that only works for it.</p>
      <div class="row">
        <input name="email" type="email" placeholder="name@example.com" aria-label="Email" aria-describedby="email-counter" .value=${this.email} @input=${(e: Event) => (this.email = (e.target as HTMLInputElement).value)} />
        ${counter(this.email, EMAIL, 'email-counter')}
        <select name="role" aria-label="Role">${roles.map((r) => html`<option value=${r} ?selected=${r === 'member'}>${r}</option>`)}</select>
        <button class="btn primary" ?disabled=${this.busy}>Invite</button>
      </div>
    </form>`;
  }

  private renderInvites(invites: InviteView[]) {
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
                    <button class="btn ghost resend" ?disabled=${this.busy} @click=${() => this.inviteAction(i, 'resend')}>Resend</button>
                    <button class="btn ghost danger revoke" ?disabled=${this.busy} @click=${() => this.inviteAction(i, 'revoke')}>Revoke</button>
                  </td>
                </tr>`,
              )}
            </tbody>
          </table>`
        : html`<p class="hint">No pending invites.</p>`}
      <p class="hint">Resending mails a new link valid 7 days; the earlier one stops working. An expired invite needs a resend.</p>
    </section>`;
  }

  // ---- actions

  /** Shows one message, replacing whatever was said before; good news fades, a refusal stays until the next. */
  private say(ok: boolean, text: string): void {
    const said = { ok, text };
    this.said = said;
    if (ok) setTimeout(() => this.said === said && (this.said = null), 4000);
  }

  private async invite(e: Event): Promise<void> {
    e.preventDefault();
    const project = this.project!;
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const email = String(data.get('email') ?? '');
    const refused = refusal(email, EMAIL);
    if (refused) return this.say(false, refused);
    this.busy = true;
    try {
      const added = await this.rest.request<{ member?: MemberView; invite?: { email: string } }>('POST', `/api/projects/${enc(project.id)}/members`, {
        email,
        role: String(data.get('role') ?? 'member'),
      });
      form.reset();
      this.email = '';
      const invited = added.invite?.email ?? '';
      this.say(
        true,
        added.member ? `${added.member.name} joined the project.` : this.mailer ? `Invite mailed to ${invited}.` : `Invite for ${invited} is in the admin outbox: no mail server is configured.`,
      );
      await this.load();
    } catch (error) {
      this.say(false, messageOf(error));
    } finally {
      this.busy = false;
    }
  }

  private async inviteAction(invite: InviteView, action: 'resend' | 'revoke'): Promise<void> {
    const path = `/api/projects/${enc(this.project!.id)}/invites/${enc(invite.id)}`;
    this.busy = true;
    try {
      if (action === 'resend') await this.rest.request('POST', `${path}/resend`);
      else await this.rest.request('DELETE', path);
      this.say(true, action === 'resend' ? `A new invite was mailed to ${invite.email}; the earlier link no longer works.` : `The invite for ${invite.email} is revoked.`);
    } catch (error) {
      this.say(false, messageOf(error));
    } finally {
      this.busy = false;
    }
    await this.load();
  }

  private async changeRole(member: MemberView, role: Role): Promise<void> {
    const project = this.project!;
    try {
      await this.rest.request('PATCH', `/api/projects/${enc(project.id)}/members/${enc(member.userId)}`, { role });
      this.say(true, `${member.name} is now ${role === 'admin' || role === 'owner' ? 'an' : 'a'} ${role}.`);
      if (member.userId === this.meId) emit<MembershipsDetail>(this, 'taskwire-memberships', { projectId: project.id, left: false });
    } catch (error) {
      this.say(false, messageOf(error));
    }
    await this.load();
  }

  private async removeMember(member: MemberView): Promise<void> {
    const project = this.project!;
    const self = member.userId === this.meId;
    if (!confirm(self ? `Leave ${project.name}?` : `Remove ${member.name} from ${project.name}?`)) return;
    try {
      await this.rest.request('DELETE', `/api/projects/${enc(project.id)}/members/${enc(member.userId)}`);
      if (self) emit<MembershipsDetail>(this, 'taskwire-memberships', { projectId: project.id, left: true });
      else await this.load();
    } catch (error) {
      this.say(false, messageOf(error));
    }
  }
}
