// Reminders survive what production throws at them: a server SIGKILLed
// between scheduling and due time, and on BullMQ two web nodes and a worker
// through a Redis outage (restarted empty: the worst case of a flushed Redis).

import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Client, registerUser, type TestUser } from '../support/api.js';
import { killQuietly, startServerProcess, startWorkerProcess, type ServerProcess, type StartedServer } from '../support/server-process.js';
import { useService, type RedisServer } from '../support/services.js';
import { startRedis } from '../support/redis.js';
import { startSmtp, type SmtpServer } from '../support/smtp.js';
import { makeTempDir } from '../support/tmp.js';
import { eventually, inbox, isoIn } from './support.js';

/** An owner, and Ana who joins the way people do: through the invite link mailed to her. */
async function pair(url: string, smtp: SmtpServer): Promise<{ owner: TestUser; ana: TestUser; projectId: string }> {
  const owner = await registerUser({ url }, 'Olga Owner');
  const projectId = (await owner.client.post('/api/projects', { name: 'Durable' })).body.id as string;
  const email = `ana.${randomUUID().slice(0, 8)}@example.test`;
  expect((await owner.client.post(`/api/projects/${projectId}/members`, { email, role: 'member' })).status).to.equal(201);
  const mail = await smtp.waitForMail((m) => m.to.some((t) => t.address === email), 10_000);
  const inviteToken = /invite\?token=([\w-]+)/.exec(mail.text)![1]!;
  const joined = await new Client(url).post('/api/auth/register', { email, name: 'Ana Assignee', password: 'correct horse battery', inviteToken });
  expect(joined.status).to.equal(201);
  const ana: TestUser = { id: joined.body.user.id, email, name: 'Ana Assignee', token: joined.body.token, client: new Client(url, joined.body.token) };
  await ana.client.patch('/api/me', { notify: { remindBefore: 0 } });
  return { owner, ana, projectId };
}

const mailsTo = (smtp: SmtpServer, email: string, subject: string) => smtp.mails.filter((m) => m.to.some((t) => t.address === email) && m.subject.startsWith(subject));

describe('Reminders survive a SIGKILL between scheduling and due time', function () {
  this.timeout(120_000);
  let smtp: SmtpServer;
  let redis: RedisServer | null = null;
  const children: ServerProcess[] = [];

  before(async function () {
    smtp = await startSmtp();
  });
  afterEach(() => children.splice(0).forEach(killQuietly));
  after(async () => {
    await smtp?.stop();
    await redis?.stop();
  });

  for (const mode of ['embedded', 'bullmq'] as const) {
    it(`sends the reminder once after a restart [${mode}]`, async function () {
      const env: Record<string, string> = { DATA_DIR: makeTempDir('tw-kill'), SMTP_URL: smtp.url, REGISTRATION: 'open' };
      if (mode === 'bullmq') {
        redis ??= await startRedis();
        if (!redis) await useService(this, 'redis', 'the BullMQ durability test');
        env.REDIS_URL = redis!.url;
      }
      const first = await startServerProcess(env);
      children.push(first);
      const { owner, ana, projectId } = await pair(first.url, smtp);
      const dueAt = isoIn(6_000);
      const task = (await owner.client.post(`/api/projects/${projectId}/tasks`, { title: `Survive ${mode}`, assigneeId: ana.id, dueAt })).body;
      // The reminder is scheduled once the assignment was processed.
      await eventually(() => inbox(ana), (items) => items.some((n) => n.event === 'assigned'), 5_000, 'assigned notice');
      first.child.kill('SIGKILL');
      await first.exited;

      const second = await startServerProcess(env);
      children.push(second);
      const anaThere: TestUser = { ...ana, client: new Client(second.url, ana.token) };
      const items = await eventually(() => inbox(anaThere), (all) => all.some((n) => n.event === 'overdue'), 20_000, 'overdue after restart');
      expect(Date.now()).to.be.at.least(Date.parse(dueAt) - 2_000);
      expect(items.filter((n) => n.event === 'overdue' && n.taskId === task.id)).to.have.length(1);
      await eventually(async () => mailsTo(smtp, ana.email, 'Overdue'), (m) => m.length >= 1, 10_000, 'overdue mail');
      await delay(1_500);
      expect(mailsTo(smtp, ana.email, 'Overdue'), 'one overdue mail').to.have.length(1);
      expect((await inbox(anaThere)).filter((n) => n.event === 'overdue')).to.have.length(1);
    });
  }
});

describe('BullMQ: two web nodes and a worker through a Redis outage', function () {
  this.timeout(180_000);
  let smtp: SmtpServer;
  let redis: RedisServer | null;
  const children: ServerProcess[] = [];

  before(async function () {
    smtp = await startSmtp();
    redis = await startRedis();
    if (!redis) await useService(this, 'redis', 'the multi-node BullMQ test');
  });
  after(async () => {
    children.splice(0).forEach(killQuietly);
    await smtp?.stop();
    await redis?.stop();
  });

  it('delivers every reminder exactly once, also those due while Redis was down', async function () {
    const mongo = await useService(this, 'mongo', 'the multi-node BullMQ test');
    const env: Record<string, string> = {
      MONGODB_URI: mongo.uri(`tw_jobs_${randomUUID().replaceAll('-', '').slice(0, 12)}`),
      REDIS_URL: redis!.url,
      SMTP_URL: smtp.url,
      SECRET_KEY: 'k'.repeat(40),
      REGISTRATION: 'open',
    };
    const nodes: StartedServer[] = [await startServerProcess(env), await startServerProcess(env)];
    children.push(...nodes, await startWorkerProcess(env));
    const { owner, ana, projectId } = await pair(nodes[0]!.url, smtp);
    const onB = new Client(nodes[1]!.url, owner.token);

    // Half the tasks are due before the outage, half during it; created on both nodes.
    const tasks: string[] = [];
    for (let i = 0; i < 16; i++) {
      const client = i % 2 === 0 ? owner.client : onB;
      const due = i < 8 ? isoIn(3_000 + i * 100) : isoIn(7_000 + (i - 8) * 250);
      const created = await client.post(`/api/projects/${projectId}/tasks`, { title: `Task ${i}`, assigneeId: ana.id, dueAt: due });
      expect(created.status).to.equal(201);
      tasks.push(created.body.id);
    }
    await eventually(() => inbox(ana), (items) => items.filter((n) => n.event === 'overdue').length >= 8, 15_000, 'reminders before the outage');
    redis!.kill();
    await delay(5_000);
    await redis!.restart();

    const items = await eventually(() => inbox(ana), (all) => all.filter((n) => n.event === 'overdue').length >= 16, 40_000, 'every reminder');
    await delay(3_000);
    const overdue = (await inbox(ana)).filter((n) => n.event === 'overdue');
    expect(overdue.map((n) => n.taskId).sort()).to.deep.equal([...tasks].sort());
    expect(items.filter((n) => n.event === 'assigned')).to.have.length(16);
    const mails = await eventually(async () => mailsTo(smtp, ana.email, 'Overdue'), (m) => m.length >= 16, 40_000, 'every overdue mail');
    await delay(2_000);
    expect(mailsTo(smtp, ana.email, 'Overdue'), 'no mail twice').to.have.length(16);
    expect(new Set(mails.map((m) => m.messageId)).size).to.equal(16);
  });
});
