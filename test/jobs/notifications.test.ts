import { expect } from 'chai';
import { setTimeout as delay } from 'node:timers/promises';
import { STORE_KINDS, startApi, type ApiServer } from '../support/api.js';
import { connectSocket, type TestSocket } from '../support/socket.js';
import { startSmtp, type SmtpServer } from '../support/smtp.js';
import { eventually, inbox, isoIn, makeTeam, type InboxItem, type Team, notificationMails } from './support.js';

const events = (items: InboxItem[], taskId?: string) => items.filter((n) => !taskId || n.taskId === taskId).map((n) => n.event).sort();

for (const kind of STORE_KINDS) {
  describe(`Notifications: assignments, reminders, mentions [${kind}]`, function () {
    this.timeout(60_000);
    let smtp: SmtpServer;
    let api: ApiServer;
    let team: Team;
    const sockets: TestSocket[] = [];

    before(async function () {
      this.timeout(600_000);
      smtp = await startSmtp();
      api = await startApi(kind, this, undefined, { SMTP_URL: smtp.url, MAIL_FROM: 'Taskwire <bot@taskwire.test>', PUBLIC_URL: 'http://taskwire.test' });
    });
    after(async () => {
      for (const socket of sockets) socket.socket.close();
      await api?.stop();
      await smtp?.stop();
    });
    beforeEach(async () => {
      team = await makeTeam(api);
      // Only the overdue reminder by default, so each test counts one reminder per task.
      await team.ana.client.patch('/api/me', { notify: { remindBefore: 0, timezone: 'Europe/Paris' } });
    });

    it('tells only the assignee, in the inbox, over the socket and by email, then reminds them once at the due time', async () => {
      const socket = await connectSocket(api.url, team.ana.token);
      sockets.push(socket);
      const dueAt = isoIn(2_500);
      const created = await team.owner.client.post(`/api/projects/${team.projectId}/tasks`, { title: 'Ship <b>it</b>', assigneeId: team.ana.id, dueAt });
      expect(created.status).to.equal(201);
      const taskId = created.body.id as string;

      const reminders = await team.ana.client.get(`/api/tasks/${taskId}/reminders`);
      expect(reminders.body.items).to.deep.equal([{ event: 'overdue', userId: team.ana.id, at: dueAt }]);

      const assigned = await eventually(() => inbox(team.ana), (items) => items.some((n) => n.event === 'assigned'), 5_000, 'assigned notice');
      expect(assigned[0]!.text).to.equal(`Olga Owner assigned you #1 "Ship <b>it</b>" in Launch.`);
      expect(Date.now()).to.be.below(Date.parse(dueAt), 'the assigned notice came before the due time');
      const after = await eventually(() => inbox(team.ana), (items) => items.some((n) => n.event === 'overdue'), 8_000, 'overdue reminder');
      expect(Date.now()).to.be.at.least(Date.parse(dueAt) - 2_000);
      const overdue = after.find((n) => n.event === 'overdue')!;
      expect(overdue.text).to.match(/^#1 "Ship <b>it<\/b>" in Launch was due .+ \(Europe\/Paris\) and is not done\.$/);
      expect(overdue.taskId).to.equal(taskId);

      const mails = await eventually(async () => notificationMails(smtp, team.ana.email), (m) => m.length >= 2, 5_000, 'two mails');
      expect(mails.map((m) => m.subject).sort()).to.deep.equal(['Assigned to you: Olga Owner assigned you #1 "Ship <b>it</b>" in Launch.', `Overdue: ${overdue.text}`].sort());
      const mail = mails.find((m) => m.subject.startsWith('Overdue'))!;
      expect(mail.from?.address).to.equal('bot@taskwire.test');
      expect(mail.text).to.include(overdue.text).and.include(`http://taskwire.test/#/projects/${team.projectId}/board`);
      expect(mail.html).to.include('Ship &lt;b&gt;it&lt;/b&gt;').and.not.include('<b>it</b>');
      await eventually(() => inbox(team.ana), (items) => items.every((n) => n.deliveries.find((d) => d.channel === 'email')?.status === 'sent'), 5_000, 'email deliveries sent');

      // Each notification arrives on the socket, then again as its email delivery settles; one of each event.
      const pushed = () => new Map(socket.events.filter((e) => e.name === 'notification').map((e) => [(e.payload as InboxItem).id, (e.payload as InboxItem).event]));
      await eventually(async () => pushed().size, (n) => n >= 2, 3_000, 'socket notifications');
      expect([...pushed().values()].sort()).to.deep.equal(['assigned', 'overdue']);
      expect((await team.ana.client.get(`/api/tasks/${taskId}/reminders`)).body.items).to.deep.equal([]);

      // Nobody else hears about it, and the one who assigned does not hear about their own action.
      expect(await inbox(team.owner)).to.deep.equal([]);
      expect(await inbox(team.bo)).to.deep.equal([]);
      await delay(1_000);
      expect(events(await inbox(team.ana))).to.deep.equal(['assigned', 'overdue']);
      expect(notificationMails(smtp, team.ana.email)).to.have.length(2);
    });

    it('sends nothing for a task done before its due time, nor to someone who assigned themselves', async () => {
      const t = (await team.ana.client.post(`/api/projects/${team.projectId}/tasks`, { title: 'Mine', assigneeId: team.ana.id, dueAt: isoIn(1_500) })).body;
      const moved = await team.ana.client.post(`/api/tasks/${t.id}/move`, { status: 'done', version: t.version });
      expect(moved.status).to.equal(200);
      expect((await team.ana.client.get(`/api/tasks/${t.id}/reminders`)).body.items).to.deep.equal([]);
      await delay(3_000);
      expect(await inbox(team.ana)).to.deep.equal([]);
    });

    it('moves the reminder with the due date: nothing at the old time, exactly one at the new one', async () => {
      const t = (await team.owner.client.post(`/api/projects/${team.projectId}/tasks`, { title: 'Moving target', assigneeId: team.ana.id, dueAt: isoIn(1_500) })).body;
      const newDue = isoIn(4_000);
      const patched = await team.owner.client.patch(`/api/tasks/${t.id}`, { dueAt: newDue, version: t.version });
      expect(patched.status).to.equal(200);
      expect((await team.ana.client.get(`/api/tasks/${t.id}/reminders`)).body.items).to.deep.equal([{ event: 'overdue', userId: team.ana.id, at: newDue }]);
      await delay(3_000);
      expect(events(await inbox(team.ana), t.id)).to.deep.equal(['assigned']);
      const items = await eventually(() => inbox(team.ana), (all) => all.some((n) => n.event === 'overdue'), 6_000, 'the moved reminder');
      await delay(800);
      expect(events(await inbox(team.ana), t.id)).to.deep.equal(['assigned', 'overdue']);
      expect(items.find((n) => n.event === 'overdue')!.text).to.include('(Europe/Paris)');
    });

    it('follows a reassignment: the old assignee gets nothing more, the new one their notice and reminder', async () => {
      await team.bo.client.patch('/api/me', { notify: { remindBefore: 0 } });
      const t = (await team.owner.client.post(`/api/projects/${team.projectId}/tasks`, { title: 'Handover', assigneeId: team.ana.id, dueAt: isoIn(2_500) })).body;
      const moved = await team.owner.client.patch(`/api/tasks/${t.id}`, { assigneeId: team.bo.id, version: t.version });
      expect(moved.status).to.equal(200);
      await eventually(() => inbox(team.bo), (items) => items.some((n) => n.event === 'overdue'), 8_000, 'the new assignee\'s reminder');
      await delay(800);
      expect(events(await inbox(team.bo), t.id)).to.deep.equal(['assigned', 'overdue']);
      expect(events(await inbox(team.ana), t.id).filter((e) => e !== 'assigned')).to.deep.equal([]);
    });

    it('reminds ahead of the due time by the assignee\'s remindBefore', async () => {
      await team.ana.client.patch('/api/me', { notify: { remindBefore: 1 } });
      const dueAt = isoIn(60_000 + 1_500);
      const t = (await team.owner.client.post(`/api/projects/${team.projectId}/tasks`, { title: 'Soon', assigneeId: team.ana.id, dueAt })).body;
      const expected = new Date(Date.parse(dueAt) - 60_000).toISOString();
      expect((await team.ana.client.get(`/api/tasks/${t.id}/reminders`)).body.items).to.deep.equal([
        { event: 'due_soon', userId: team.ana.id, at: expected },
        { event: 'overdue', userId: team.ana.id, at: dueAt },
      ]);
      const items = await eventually(() => inbox(team.ana), (all) => all.some((n) => n.event === 'due_soon'), 6_000, 'due_soon');
      expect(items.find((n) => n.event === 'due_soon')!.text).to.match(/is due .+\(Europe\/Paris\)\.$/);
    });

    it('tells people mentioned in a room they can read, not the author, not outsiders of a private room', async () => {
      const posted = await team.owner.client.post(`/api/rooms/${team.generalRoomId}/messages`, { text: 'Hey @ana and @olga, see @bo.' });
      expect(posted.status).to.equal(201);
      await eventually(() => inbox(team.ana), (items) => items.some((n) => n.event === 'mentioned'), 5_000, 'mention for ana');
      await eventually(() => inbox(team.bo), (items) => items.some((n) => n.event === 'mentioned'), 5_000, 'mention for bo');
      const mention = (await inbox(team.ana)).find((n) => n.event === 'mentioned')!;
      expect(mention).to.include({ messageId: posted.body.id, projectId: team.projectId });
      expect(mention.text).to.equal('Olga Owner mentioned you in #general (Launch): Hey @ana and @olga, see @bo.');

      const secret = (await team.owner.client.post(`/api/projects/${team.projectId}/rooms`, { name: 'secret', private: true })).body;
      await team.owner.client.post(`/api/rooms/${secret.id}/members`, { userId: team.ana.id });
      await team.owner.client.post(`/api/rooms/${secret.id}/messages`, { text: '@ana and @bo: private plans' });
      await eventually(() => inbox(team.ana), (items) => items.filter((n) => n.event === 'mentioned').length === 2, 5_000, 'private mention for ana');
      await delay(500);
      expect((await inbox(team.bo)).filter((n) => n.event === 'mentioned')).to.have.length(1);
      expect(await inbox(team.owner)).to.deep.equal([]);
    });

    it('marks notifications read, counts the unread, and lists only unread ones on request', async () => {
      await team.owner.client.post(`/api/rooms/${team.generalRoomId}/messages`, { text: '@ana one' });
      await team.owner.client.post(`/api/rooms/${team.generalRoomId}/messages`, { text: '@ana two' });
      const items = await eventually(() => inbox(team.ana), (all) => all.length === 2, 5_000, 'two mentions');
      const otherTab = await connectSocket(api.url, team.ana.token);
      sockets.push(otherTab);
      const first = await team.ana.client.get('/api/me/notifications?unread=true');
      expect(first.body.unread).to.equal(2);
      const read = await team.ana.client.post('/api/me/notifications/read', { ids: [items[0]!.id, 'not-a-real-id'] });
      expect(read.status).to.equal(200);
      expect(read.body).to.deep.equal({ unread: 1 });
      // Another tab of hers hears of it, so its badge follows.
      await eventually(async () => otherTab.events.filter((e) => e.name === 'notifications.read'), (list) => list.length === 1, 2_000, 'read marks pushed');
      expect(otherTab.events.find((e) => e.name === 'notifications.read')!.payload).to.deep.equal({ ids: [items[0]!.id], unread: 1 });
      // Someone else's ids change nothing.
      expect((await team.bo.client.post('/api/me/notifications/read', { ids: [items[1]!.id] })).body).to.deep.equal({ unread: 0 });
      const unread = await team.ana.client.get('/api/me/notifications?unread=true');
      expect(unread.body.items.map((n: InboxItem) => n.id)).to.deep.equal([items[1]!.id]);
      expect(unread.body.unread).to.equal(1);
      expect((await inbox(team.ana)).find((n) => n.id === items[0]!.id)!.readAt).to.be.a('string');
    });

    it('sends nothing to someone removed from the project before the due time', async () => {
      const t = (await team.owner.client.post(`/api/projects/${team.projectId}/tasks`, { title: 'Left behind', assigneeId: team.ana.id, dueAt: isoIn(2_000) })).body;
      await eventually(() => inbox(team.ana), (items) => items.some((n) => n.taskId === t.id), 5_000, 'assigned notice');
      expect((await team.owner.client.delete(`/api/projects/${team.projectId}/members/${team.ana.id}`)).status).to.equal(204);
      await delay(3_500);
      expect(events(await inbox(team.ana), t.id)).to.deep.equal(['assigned']);
    });

    it('writes the daily digest of open tasks due within a day, and queues the next one at 08:00 in the person\'s zone', async () => {
      await team.ana.client.patch('/api/me', { notify: { digest: true, timezone: 'Asia/Tokyo', overdue: false } });
      await team.owner.client.post(`/api/projects/${team.projectId}/tasks`, { title: 'Late one', assigneeId: team.ana.id, dueAt: isoIn(-3_600_000) });
      await team.owner.client.post(`/api/projects/${team.projectId}/tasks`, { title: 'Due soon', assigneeId: team.ana.id, dueAt: isoIn(5 * 3_600_000) });
      await team.owner.client.post(`/api/projects/${team.projectId}/tasks`, { title: 'Next week', assigneeId: team.ana.id, dueAt: isoIn(7 * 24 * 3_600_000) });
      const { server } = api;
      const day = new Date().toISOString().slice(0, 10);
      // The digest job as the queue runs it at 08:00 Tokyo time; waiting for that hour is not a test.
      await server.jobs.notifier.handlers['notify.digest']!({ id: 'digest.test', name: 'notify.digest', data: { userId: team.ana.id, day }, attemptsMade: 0, attempts: 3, runAt: Date.now() });
      const digest = (await inbox(team.ana)).find((n) => n.event === 'digest')!;
      expect(digest.text).to.match(/^Your day \(\d{4}-\d\d-\d\d\): 2 tasks need you/);
      expect(digest.text).to.include('"Late one" in Launch: overdue since').and.include('"Due soon" in Launch: due').and.not.include('Next week');
      expect(digest.text).to.include('(Asia/Tokyo)');
      const next = await eventually(async () => server.store.jobs.nextRunAt(), (at) => at !== null, 2_000, 'a next job');
      expect(next).to.be.a('number');
      const counts = await server.jobs.queue.counts();
      expect(counts.delayed).to.be.at.least(1);
    });

    it('sends a test notification through the channel asked for, now', async () => {
      const reply = await team.bo.client.post('/api/me/notifications/test', { channel: 'email' });
      expect(reply.status).to.equal(202);
      const socket = await connectSocket(api.url, team.bo.token);
      sockets.push(socket);
      const mail = await smtp.waitForMail((m) => m.to.some((t) => t.address === team.bo.email) && m.subject.startsWith('Test notification'), 5_000);
      // The delivery's outcome reaches her open pages too, not only the next inbox read.
      await eventually(
        async () => socket.events.filter((e) => e.name === 'notification').map((e) => (e.payload as InboxItem).deliveries.find((d) => d.channel === 'email')?.status),
        (statuses) => statuses.includes('sent'),
        5_000,
        'the sent status pushed',
      );
      expect(mail.text).to.include('this channel works');
      const [item] = await eventually(() => inbox(team.bo), (all) => all[0]?.deliveries.some((d) => d.channel === 'email' && d.status === 'sent') ?? false, 5_000, 'test delivery sent');
      expect(item!.event).to.equal('test');
      expect((await team.bo.client.post('/api/me/notifications/test', { channel: 'inapp' })).status).to.equal(202);
      await eventually(() => inbox(team.bo), (all) => all.length === 2, 3_000, 'in-app test');
    });
  });
}
