// Attempt limits behind a balancer: two nodes on one MongoDB-compatible store
// and one Redis count login attempts, failed passwords and incoming-hook posts
// together, so spreading attempts over the nodes does not multiply the limit;
// and a Redis outage does not stop logins.

import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { Client, registerUser, startApi, TEST_TUNING, type ApiServer, type Reply } from '../support/api.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { getMongo, useService } from '../support/services.js';

const LOGINS_PER_IP = 6;
const FAILURES_PER_ACCOUNT = 3;
/** core/http/routes/webhooks/routes.ts: an incoming hook's posts per minute. */
const HOOK_POSTS_PER_MINUTE = 60;
const PASSWORD = 'correct horse battery';

describe('Limits shared by several nodes (Redis)', function () {
  this.timeout(60_000);
  // A Redis of this suite's own: the shared one may hold other suites' login counts for 127.0.0.1.
  let redis: RedisServer | null = null;
  let nodes: ApiServer[] = [];

  const tuning = { ...TEST_TUNING, throttle: { loginPerIp: LOGINS_PER_IP, loginFailuresPerAccount: FAILURES_PER_ACCOUNT, registerPerIp: 1_000, windowSeconds: 60 } };
  /** Attempt i goes to node i mod 2, as a round-robin balancer would send it. */
  const spread = async (count: number, attempt: (node: Client, i: number) => Promise<Reply>): Promise<Reply[]> => {
    const replies: Reply[] = [];
    for (let i = 0; i < count; i++) replies.push(await attempt(new Client(nodes[i % 2]!.url), i));
    return replies;
  };

  beforeEach(async function () {
    await useService(this, 'mongo', 'the shared-limits suite');
    await useService(this, 'redis', 'the shared-limits suite');
    redis = await startRedis();
    const env = { MONGODB_URI: (await getMongo())!.uri(`tw_limits_${randomUUID().slice(0, 8)}`), REDIS_URL: redis!.url };
    // 'sqlite' only because startApi would pick a database of its own for 'mongo'; MONGODB_URI makes both nodes Mongo ones.
    nodes = await Promise.all([startApi('sqlite', this, tuning, env), startApi('sqlite', this, tuning, env)]);
  });

  afterEach(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await redis?.stop();
  });

  it('refuses logins from one IP once the limit is reached across both nodes, not at twice the limit', async () => {
    const users = [await registerUser(nodes[0]!, 'Ana'), await registerUser(nodes[1]!, 'Bo')];
    const replies = await spread(LOGINS_PER_IP + 2, (node, i) => node.post('/api/auth/login', { email: users[i % 2]!.email, password: PASSWORD }));
    expect(replies.map((r) => r.status)).to.deep.equal([...Array<number>(LOGINS_PER_IP).fill(200), 429, 429]);
    for (const refused of replies.slice(LOGINS_PER_IP)) {
      expect(refused.body.error.code).to.equal('rate_limited');
      expect(Number(refused.headers.get('retry-after'))).to.be.within(1, 60);
    }
  });

  it('counts failed passwords for one account across both nodes', async () => {
    const target = await registerUser(nodes[0]!, 'Target');
    const failures = await spread(FAILURES_PER_ACCOUNT, (node) => node.post('/api/auth/login', { email: target.email, password: 'a wrong guess' }));
    expect(failures.map((r) => r.status)).to.deep.equal(Array<number>(FAILURES_PER_ACCOUNT).fill(401));
    // The next node in turn has seen only some of the failures itself; the right password is still refused.
    const blocked = await new Client(nodes[FAILURES_PER_ACCOUNT % 2]!.url).post('/api/auth/login', { email: target.email, password: PASSWORD });
    expect(blocked.status).to.equal(429);
    expect(Number(blocked.headers.get('retry-after'))).to.be.within(1, 60);
  });

  it('counts an incoming hook\'s posts across both nodes', async () => {
    const owner = await registerUser(nodes[0]!, 'Owner');
    const projectId = (await owner.client.post('/api/projects', { name: 'Hooks' })).body.id as string;
    const roomId = (await owner.client.get(`/api/projects/${projectId}/rooms`)).body.items[0].id as string;
    const created = await owner.client.post(`/api/rooms/${roomId}/hooks`, { name: 'CI' });
    expect(created.status).to.equal(201);
    const path = new URL(created.body.url as string).pathname;
    const replies = await spread(HOOK_POSTS_PER_MINUTE + 2, (node, i) => node.post(path, { text: `Build #${i} passed` }));
    expect(replies.filter((r) => r.status === 201)).to.have.length(HOOK_POSTS_PER_MINUTE);
    expect(replies.slice(HOOK_POSTS_PER_MINUTE).map((r) => r.status)).to.deep.equal([429, 429]);
  });

  it('keeps logins working while Redis is down, each node counting on its own, and shares the count again once it is back', async () => {
    const user = await registerUser(nodes[0]!, 'Outage');
    const login = (node: ApiServer) => new Client(node.url).post('/api/auth/login', { email: user.email, password: PASSWORD });
    redis!.kill();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    // The insurance limiters are per node: each one lets LOGINS_PER_IP through, then refuses.
    for (const node of nodes) {
      const statuses: number[] = [];
      for (let i = 0; i <= LOGINS_PER_IP; i++) statuses.push((await login(node)).status);
      expect(statuses).to.deep.equal([...Array<number>(LOGINS_PER_IP).fill(200), 429]);
    }
    expect(Date.now() - started, 'logins never wait for the dead Redis').to.be.below(3_000);

    await redis!.restart();
    // Both insurance counters are spent, so a 200 now can only come from the Redis counter: wait for one per node.
    for (const node of nodes) {
      const deadline = Date.now() + 10_000;
      while ((await login(node)).status !== 200) {
        if (Date.now() > deadline) throw new Error('a node did not go back to the Redis counter');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const rest = await spread(LOGINS_PER_IP, (node) => node.post('/api/auth/login', { email: user.email, password: PASSWORD }));
    expect(rest.map((r) => r.status)).to.deep.equal([...Array<number>(LOGINS_PER_IP - 2).fill(200), 429, 429]);
  });
});
