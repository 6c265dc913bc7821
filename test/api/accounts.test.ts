import { expect } from 'chai';
import { Client, STORE_KINDS, startApi, type ApiServer, type TestUser } from '../support/api.js';
import { eventually } from '../support/eventually.js';
import { connectSocket, waitFor } from '../support/socket.js';
import { startSmtp, type SmtpServer } from '../support/smtp.js';

const PASSWORD = 'correct horse battery';
let seq = 0;
const address = (name: string) => `${name}.${Date.now().toString(36)}${++seq}@example.test`;

async function signUp(api: { url: string }, email: string, extra: Record<string, unknown> = {}) {
  return new Client(api.url).post('/api/auth/register', { email, name: email.split('@')[0], password: PASSWORD, ...extra });
}

const asUser = (url: string, reply: { body: { user: { id: string; email: string; name: string }; token: string } }): TestUser => ({
  id: reply.body.user.id,
  email: reply.body.user.email,
  name: reply.body.user.name,
  token: reply.body.token,
  client: new Client(url, reply.body.token),
});

/** The one-time link mailed to `email` whose path is `path`, from the real SMTP server. */
async function linkIn(smtp: SmtpServer, email: string, path: string): Promise<string> {
  const mail = await smtp.waitForMail((m) => m.to.some((t) => t.address === email) && m.text.includes(`/${path}?token=`), 10_000);
  return new RegExp(`/${path}\\?token=([\\w-]+)`).exec(mail.text)![1]!;
}

for (const kind of STORE_KINDS) {
  describe(`Accounts: who may sign up, invites, resets, disabled accounts [${kind}]`, function () {
    this.timeout(60_000);
    let smtp: SmtpServer;
    let api: ApiServer;
    let admin: TestUser;

    before(async function () {
      this.timeout(600_000);
      smtp = await startSmtp();
      // The default policy (invite), as a fresh install has it.
      api = await startApi(kind, this, undefined, { SMTP_URL: smtp.url, REGISTRATION: '' });
    });
    after(async () => {
      await api?.stop();
      await smtp?.stop();
    });

    it('lets the first person of an empty instance in as admin, then refuses strangers under the default policy', async () => {
      const options = await new Client(api.url).get('/api/auth/options');
      expect(options.body).to.deep.equal({ registration: 'invite', firstUser: true, emailVerification: true });
      const first = await signUp(api, address('first'));
      expect(first.status).to.equal(201);
      expect(first.body.user).to.include({ isAdmin: true, verified: true });
      admin = asUser(api.url, first);
      expect((await new Client(api.url).get('/api/auth/options')).body.firstUser).to.equal(false);
      const stranger = await signUp(api, address('stranger'));
      expect(stranger.status).to.equal(403);
      expect(stranger.body.error).to.include({ code: 'forbidden' });
      expect(stranger.body.error.message).to.match(/invite/);
      expect((await admin.client.get('/api/admin/users?q=stranger')).body.items).to.deep.equal([]);
    });

    it('signs an invited person up only through their link, for their address, once', async () => {
      const project = (await admin.client.post('/api/projects', { name: 'Invites' })).body;
      const email = address('cy');
      const invited = await admin.client.post(`/api/projects/${project.id}/members`, { email, role: 'member' });
      expect(invited.status).to.equal(201);
      expect(invited.body.invite).to.include({ email, role: 'member', state: 'pending' });
      const token = await linkIn(smtp, email, 'invite');
      expect((await admin.client.get(`/api/projects/${project.id}/invites`)).body.items.map((i: { email: string }) => i.email)).to.deep.equal([email]);

      expect((await signUp(api, email)).status, 'the address without the link').to.equal(403);
      expect((await signUp(api, address('other'), { inviteToken: token })).status, 'the link for another address').to.equal(403);
      const joined = await signUp(api, email, { inviteToken: token });
      expect(joined.status).to.equal(201);
      expect(joined.body.user).to.include({ verified: true, isAdmin: false });
      const members = (await admin.client.get(`/api/projects/${project.id}/members`)).body.items;
      expect(members.find((m: { userId: string }) => m.userId === joined.body.user.id)).to.include({ role: 'member' });
      expect((await admin.client.get(`/api/projects/${project.id}/invites`)).body.items).to.deep.equal([]);
      const again = await signUp(api, address('late'), { inviteToken: token });
      expect(again.status, 'a used link').to.equal(404);
      expect(again.body.error.details[0].path).to.equal('inviteToken');
    });

    it('refuses revoked, resent-away and expired invite links', async () => {
      const project = (await admin.client.post('/api/projects', { name: 'Links' })).body;
      const revokedEmail = address('revoked');
      const revoked = (await admin.client.post(`/api/projects/${project.id}/members`, { email: revokedEmail, role: 'viewer' })).body.invite;
      const revokedToken = await linkIn(smtp, revokedEmail, 'invite');
      expect((await admin.client.delete(`/api/projects/${project.id}/invites/${revoked.id}`)).status).to.equal(204);
      expect((await signUp(api, revokedEmail, { inviteToken: revokedToken })).status).to.equal(404);

      const resentEmail = address('resent');
      const resent = (await admin.client.post(`/api/projects/${project.id}/members`, { email: resentEmail, role: 'viewer' })).body.invite;
      const oldToken = await linkIn(smtp, resentEmail, 'invite');
      const renewed = await admin.client.post(`/api/projects/${project.id}/invites/${resent.id}/resend`);
      expect(renewed.status).to.equal(200);
      const newToken = await eventually(async () => {
        const tokens = smtp.mails.filter((m) => m.to.some((t) => t.address === resentEmail)).map((m) => /invite\?token=([\w-]+)/.exec(m.text)![1]!);
        return tokens.find((t) => t !== oldToken);
      }, Boolean, 10_000, 'the resent link');
      expect((await signUp(api, resentEmail, { inviteToken: oldToken })).status, 'the replaced link').to.equal(404);
      const viewer = asUser(api.url, await signUp(api, resentEmail, { inviteToken: newToken }));
      expect(viewer.id).to.be.a('string');

      const expiredEmail = address('expired');
      const expired = (await admin.client.post(`/api/projects/${project.id}/members`, { email: expiredEmail, role: 'viewer' })).body.invite;
      const expiredToken = await linkIn(smtp, expiredEmail, 'invite');
      const stored = (await api.server.store.invites.get(expired.id))!;
      await api.server.store.write({ projectId: null }, (uow) => uow.replace('invites', { ...stored, expiresAt: new Date(Date.now() - 1_000).toISOString() }));
      expect((await admin.client.get(`/api/projects/${project.id}/invites`)).body.items.find((i: { id: string }) => i.id === expired.id).state).to.equal('expired');
      expect((await signUp(api, expiredEmail, { inviteToken: expiredToken })).status).to.equal(404);
      // Only project admins see and manage invites; the viewer who joined may not.
      expect((await viewer.client.get(`/api/projects/${project.id}/invites`)).status).to.equal(403);
      expect((await viewer.client.delete(`/api/projects/${project.id}/invites/${expired.id}`)).status).to.equal(403);
      expect((await viewer.client.post(`/api/projects/${project.id}/invites/${expired.id}/resend`)).status).to.equal(403);
    });

    it('resets a password by mailed link once, ends every session and socket, and answers the same for unknown addresses', async () => {
      const email = address('forgetful');
      const project = (await admin.client.post('/api/projects', { name: 'Reset' })).body;
      await admin.client.post(`/api/projects/${project.id}/members`, { email, role: 'member' });
      const user = asUser(api.url, await signUp(api, email, { inviteToken: await linkIn(smtp, email, 'invite') }));
      const apiToken = (await user.client.post('/api/tokens', { name: 'script' })).body.token as string;
      const socket = await connectSocket(api.url, user.token);

      const known = await new Client(api.url).post('/api/auth/password-reset', { email: email.toUpperCase() });
      const unknown = await new Client(api.url).post('/api/auth/password-reset', { email: address('nobody') });
      expect([known.status, unknown.status]).to.deep.equal([202, 202]);
      expect(known.body).to.deep.equal(unknown.body);
      const token = await linkIn(smtp, email, 'reset-password');

      const confirmed = await new Client(api.url).post('/api/auth/password-reset/confirm', { token, password: 'a brand new password' });
      expect(confirmed.status).to.equal(204);
      await waitFor(() => socket.events.some((e) => e.name === 'revoked') || !socket.socket.connected, 1_000, 'socket cut');
      expect((await user.client.get('/api/me')).status).to.equal(401);
      expect((await new Client(api.url, apiToken).get('/api/me')).status, 'API tokens end too').to.equal(401);
      expect((await new Client(api.url).post('/api/auth/login', { email, password: PASSWORD })).status).to.equal(401);
      expect((await new Client(api.url).post('/api/auth/login', { email, password: 'a brand new password' })).status).to.equal(200);
      const twice = await new Client(api.url).post('/api/auth/password-reset/confirm', { token, password: 'yet another password' });
      expect(twice.status).to.equal(404);
      expect(twice.body.error.details[0].path).to.equal('token');
      expect(smtp.mails.filter((m) => m.subject.startsWith('Reset') && !m.to.some((t) => t.address === email))).to.deep.equal([]);
    });

    it('limits reset requests per address', async () => {
      const email = address('flood');
      const replies = [];
      for (let i = 0; i < 4; i++) replies.push(await new Client(api.url).post('/api/auth/password-reset', { email }));
      expect(replies.map((r) => r.status)).to.deep.equal([202, 202, 202, 429]);
      expect(Number(replies[3]!.headers.get('retry-after'))).to.be.above(0);
    });

    it('verifies a new address by mailed link, once', async () => {
      await admin.client.patch('/api/admin/settings', { registration: 'open' });
      try {
        const email = address('fresh');
        const reply = await signUp(api, email);
        expect(reply.status).to.equal(201);
        expect(reply.body.user.verified).to.equal(false);
        const token = await linkIn(smtp, email, 'verify-email');
        expect((await new Client(api.url).post('/api/auth/verify-email', { token })).status).to.equal(204);
        expect((await new Client(api.url, reply.body.token).get('/api/me')).body.verified).to.equal(true);
        expect((await new Client(api.url).post('/api/auth/verify-email', { token })).status).to.equal(404);
      } finally {
        await admin.client.patch('/api/admin/settings', { registration: 'invite' });
      }
    });

    it('cuts a disabled account off within a second, keeps it out, and writes the audit log', async () => {
      await admin.client.patch('/api/admin/settings', { registration: 'open' });
      const victim = asUser(api.url, await signUp(api, address('disabled')));
      await admin.client.patch('/api/admin/settings', { registration: 'invite' });
      const socket = await connectSocket(api.url, victim.token);
      const started = Date.now();
      const patched = await admin.client.patch(`/api/admin/users/${victim.id}`, { disabled: true });
      expect(patched.status).to.equal(200);
      expect(patched.body).to.include({ disabled: true });
      await waitFor(() => !socket.socket.connected, 1_000, 'socket cut');
      expect((await victim.client.get('/api/me')).status).to.equal(401);
      expect(Date.now() - started).to.be.below(1_000);
      const login = await new Client(api.url).post('/api/auth/login', { email: victim.email, password: PASSWORD });
      expect(login.status).to.equal(401);
      expect(login.body.error.message).to.match(/disabled/);
      expect((await admin.client.patch(`/api/admin/users/${admin.id}`, { disabled: true })).status, 'not yourself').to.equal(409);

      const audit = (await admin.client.get('/api/admin/audit')).body.items;
      const entry = audit.find((a: { action: string; targetId: string }) => a.action === 'user.updated' && a.targetId === victim.id);
      expect(entry).to.include({ actorId: admin.id });
      expect(entry.details).to.include({ disabled: true, email: victim.email });
      expect(entry.ip).to.be.a('string');
      expect(audit.some((a: { action: string }) => a.action === 'settings.updated')).to.equal(true);

      expect((await admin.client.patch(`/api/admin/users/${victim.id}`, { disabled: false })).status).to.equal(200);
      expect((await new Client(api.url).post('/api/auth/login', { email: victim.email, password: PASSWORD })).status).to.equal(200);
    });

    it('lets admins create accounts when sign-up is closed; the person sets a password by link', async () => {
      await admin.client.patch('/api/admin/settings', { registration: 'closed' });
      try {
        expect((await new Client(api.url).get('/api/auth/options')).body.registration).to.equal('closed');
        expect((await signUp(api, address('closed'))).status).to.equal(403);
        const email = address('made');
        const made = await admin.client.post('/api/admin/users', { email, name: 'Made By Admin' });
        expect(made.status).to.equal(201);
        const token = await linkIn(smtp, email, 'reset-password');
        expect((await new Client(api.url).post('/api/auth/password-reset/confirm', { token, password: 'chosen by me' })).status).to.equal(204);
        const login = await new Client(api.url).post('/api/auth/login', { email, password: 'chosen by me' });
        expect(login.status).to.equal(200);
        expect(login.body.user.verified).to.equal(true);
        const stats = await admin.client.get('/api/admin/stats');
        expect(stats.body.users).to.be.at.least(5);
        expect(stats.body.queue.kind).to.equal('inline');
      } finally {
        await admin.client.patch('/api/admin/settings', { registration: 'invite' });
      }
    });

    it('keeps every admin route to instance admins', async () => {
      await admin.client.patch('/api/admin/settings', { registration: 'open' });
      const plain = asUser(api.url, await signUp(api, address('plain')));
      await admin.client.patch('/api/admin/settings', { registration: 'invite' });
      const routes: [string, string, unknown?][] = [
        ['GET', '/api/admin/users'],
        ['POST', '/api/admin/users', { email: address('x'), name: 'X' }],
        ['PATCH', `/api/admin/users/${plain.id}`, { isAdmin: true }],
        ['POST', `/api/admin/users/${plain.id}/password-reset`],
        ['GET', '/api/admin/settings'],
        ['PATCH', '/api/admin/settings', { registration: 'open' }],
        ['GET', '/api/admin/audit'],
        ['GET', '/api/admin/stats'],
        ['GET', '/api/admin/outbox'],
        ['GET', '/api/admin/deliveries'],
      ];
      for (const [method, path, body] of routes) {
        expect((await new Client(api.url).request(method, path, body)).status, `anonymous ${method} ${path}`).to.equal(401);
        expect((await plain.client.request(method, path, body)).status, `user ${method} ${path}`).to.equal(403);
      }
      expect((await admin.client.get('/api/admin/users')).status).to.equal(200);
      expect((await admin.client.patch(`/api/admin/users/${plain.id}`, {})).status, 'an empty patch').to.equal(400);
      expect((await plain.client.get('/api/me')).body.isAdmin).to.equal(false);
    });
  });
}
