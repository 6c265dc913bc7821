import { expect } from 'chai';
import { setTimeout as delay } from 'node:timers/promises';
import { STORE_KINDS, startApi, type ApiServer } from '../support/api.js';
import { startSmtp, type SmtpServer } from '../support/smtp.js';
import { eventually, inbox, makeAdmin, makeTeam, type Team, notificationMails } from './support.js';

for (const kind of STORE_KINDS) {
  describe(`Deliveries when SMTP fails [${kind}]`, function () {
    this.timeout(60_000);
    let smtp: SmtpServer;
    let api: ApiServer;
    let team: Team;

    before(async function () {
      this.timeout(600_000);
      smtp = await startSmtp({ auth: { user: 'taskwire', pass: 'right-secret' } });
      api = await startApi(kind, this, undefined, { SMTP_URL: smtp.url });
      team = await makeTeam(api);
      await makeAdmin(api.server.store, team.owner.id);
    });
    after(async () => {
      await api?.stop();
      await smtp?.stop();
    });

    it('keeps mail waiting while the SMTP server is down and sends it once when it returns', async () => {
      await smtp.down();
      await team.bo.client.post('/api/me/notifications/test', { channel: 'email' });
      const [waiting] = await eventually(
        () => inbox(team.bo),
        (items) => (items[0]?.deliveries.find((d) => d.channel === 'email')?.attempts ?? 0) >= 2,
        10_000,
        'retries while down',
      );
      const email = waiting!.deliveries.find((d) => d.channel === 'email')!;
      expect(email.status).to.equal('queued');
      expect(email.lastError).to.match(/ECONNREFUSED|connect/i);
      const admin = await team.owner.client.get('/api/admin/deliveries?status=queued&channel=email');
      expect(admin.status).to.equal(200);
      expect(admin.body.items.map((d: { userId: string }) => d.userId)).to.include(team.bo.id);

      await smtp.up();
      await smtp.waitForMail((m) => m.to.some((t) => t.address === team.bo.email), 10_000);
      await eventually(() => inbox(team.bo), (items) => items[0]?.deliveries.find((d) => d.channel === 'email')?.status === 'sent', 5_000, 'sent after return');
      await delay(1_500);
      expect(notificationMails(smtp, team.bo.email)).to.have.length(1);
    });

    it('shows a refused login as failed, with the server\'s answer, to the user and to admins', async function () {
      const wrong = new URL(smtp.url);
      wrong.password = 'wrong-secret';
      const other = await startApi(kind, this, undefined, { SMTP_URL: wrong.toString() });
      try {
        const them = await makeTeam(other);
        await makeAdmin(other.server.store, them.owner.id);
        expect((await them.ana.client.post('/api/me/notifications/test', { channel: 'email' })).status).to.equal(202);
        const [item] = await eventually(
          () => inbox(them.ana),
          (items) => items[0]?.deliveries.find((d) => d.channel === 'email')?.status === 'failed',
          10_000,
          'failed delivery',
        );
        const email = item!.deliveries.find((d) => d.channel === 'email')!;
        expect(email.lastError).to.include('535');
        expect(email.lastError).to.not.include('wrong-secret');
        expect(email.attempts).to.equal(1, 'refused credentials are not retried');
        const listed = await them.owner.client.get('/api/admin/deliveries?status=failed');
        expect(listed.body.items).to.have.length(1);
        expect(listed.body.items[0]).to.include({ userId: them.ana.id, channel: 'email', status: 'failed' });
        expect(listed.body.items[0].lastError).to.include('535');
      } finally {
        await other.stop();
      }
    });
  });

  describe(`Notification settings and routes refuse bad input [${kind}]`, function () {
    let api: ApiServer;
    let team: Team;

    before(async function () {
      this.timeout(600_000);
      api = await startApi(kind, this);
      team = await makeTeam(api);
    });
    after(async () => api?.stop());

    it('refuses bad preferences with 400 in the error shape and changes nothing', async () => {
      const before = (await team.ana.client.get('/api/me')).body;
      const bad: [unknown, string][] = [
        [{ remindBefore: 10_081 }, 'notify.remindBefore'],
        [{ remindBefore: -1 }, 'notify.remindBefore'],
        [{ remindBefore: 1.5 }, 'notify.remindBefore'],
        [{ remindBefore: '60' }, 'notify.remindBefore'],
        [{ timezone: 'Mars/Olympus_Mons' }, 'notify.timezone'],
        [{ timezone: '' }, 'notify.timezone'],
        [{ channels: { fax: true } }, 'notify.channels'],
        [{ channels: { email: 'yes' } }, 'notify.channels.email'],
        [{ digest: 1 }, 'notify.digest'],
        [{ volume: 11 }, 'notify'],
        [null, 'notify'],
        [[], 'notify'],
      ];
      for (const [notify, path] of bad) {
        const reply = await team.ana.client.patch('/api/me', { notify });
        expect(reply.status, JSON.stringify(notify)).to.equal(400);
        expect(reply.body.error.code).to.equal('validation_failed');
        expect(reply.body.error.details.map((d: { path: string }) => d.path).join(' '), JSON.stringify(notify)).to.include(path);
      }
      expect((await team.ana.client.get('/api/me')).body).to.deep.equal(before);
      const good = await team.ana.client.patch('/api/me', { notify: { remindBefore: 10_080, timezone: 'America/New_York', channels: { slack: false } } });
      expect(good.status).to.equal(200);
      expect(good.body.notify).to.deep.include({ remindBefore: 10_080, timezone: 'America/New_York', channels: { email: true, slack: false, discord: true } });
    });

    it('refuses bad input on the notification routes', async () => {
      const c = team.ana.client;
      const cases: [string, string, unknown][] = [
        ['POST', '/api/me/notifications/read', { ids: [] }],
        ['POST', '/api/me/notifications/read', { ids: 'all' }],
        ['POST', '/api/me/notifications/read', { ids: ['x'], extra: 1 }],
        ['POST', '/api/me/notifications/read', { ids: Array.from({ length: 201 }, (_, i) => `id${i}`) }],
        ['POST', '/api/me/notifications/test', { channel: 'fax' }],
        ['POST', '/api/me/notifications/test', {}],
        ['GET', '/api/me/notifications?unread=maybe', undefined],
        ['GET', '/api/me/notifications?limit=0', undefined],
        ['GET', '/api/me/notifications?cursor=0', undefined],
      ];
      for (const [method, path, body] of cases) {
        const reply = await c.request(method, path, body);
        expect(reply.status, `${method} ${path} ${JSON.stringify(body)}`).to.equal(400);
        expect(reply.body.error).to.have.keys('code', 'message', 'details');
      }
      expect((await inbox(team.ana)).length).to.equal(0);
    });

    it('keeps admin lists for instance admins and reminders for readers of the task', async () => {
      expect((await team.ana.client.get('/api/admin/deliveries')).status).to.equal(403);
      expect((await team.ana.client.get('/api/admin/outbox')).status).to.equal(403);
      expect((await team.ana.client.get('/api/admin/deliveries?status=lost')).status).to.equal(400);
      const task = (await team.owner.client.post(`/api/projects/${team.projectId}/tasks`, { title: 'Private', assigneeId: team.ana.id, dueAt: new Date(Date.now() + 3_600_000).toISOString() })).body;
      expect((await team.ana.client.get(`/api/tasks/${task.id}/reminders`)).status).to.equal(200);
      const stranger = (await team.owner.client.post('/api/auth/register', { email: `s-${Date.now()}@example.test`, name: 'S', password: 'long enough password' })).body;
      const outsider = team.owner.client.as(stranger.token);
      expect((await outsider.get(`/api/tasks/${task.id}/reminders`)).status).to.equal(404);
      expect((await outsider.get('/api/tasks/nope/reminders')).status).to.equal(404);
    });

    it('keeps mail in the outbox for instance admins when no SMTP server is configured', async () => {
      await makeAdmin(api.server.store, team.owner.id);
      expect((await team.bo.client.post('/api/me/notifications/test', { channel: 'email' })).status).to.equal(202);
      const outbox = await eventually(() => team.owner.client.get('/api/admin/outbox'), (r) => r.body.items?.some((m: { to: string }) => m.to === team.bo.email), 5_000, 'outbox mail');
      const mail = outbox.body.items.find((m: { to: string }) => m.to === team.bo.email);
      expect(mail.subject).to.match(/^Test notification/);
      expect(mail.text).to.include('this channel works');
      await eventually(() => inbox(team.bo), (items) => items[0]?.deliveries.find((d) => d.channel === 'email')?.status === 'sent', 5_000, 'outbox delivery sent');
    });
  });
}
