// Conditional GET on the hot lists (core/http/list-cache.ts): a weak ETag per
// (project feed position, list, query, what the caller may see), 304 for a
// current If-None-Match, never a stale page, never another caller's view, and
// authorization on every request. On both stores, then on two nodes sharing the
// MongoDB-compatible store and a Redis bus, including while the bus is down.

import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { createLocalBus } from '../../core/bus/local.js';
import { loadConfig } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';
import { startServer, type RunningServer } from '../../core/server.js';
import { DEFAULT_PASSWORD_POLICY } from '../../core/services/credentials.js';
import { defaultClock, type ServiceDeps } from '../../core/services/deps.js';
import * as tasks from '../../core/services/tasks.js';
import { Client, forEachApi, registerUser, TEST_TUNING, type Reply, type TestUser } from '../support/api.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { getMongo, useService } from '../support/services.js';
import { makeTempDir } from '../support/tmp.js';
import { ConfigError } from '../../core/config.js';
import { ListCache } from '../../core/http/list-cache.js';
import type { Change } from '../../core/domain/entities.js';
import type { Context } from 'koa';
import { RestClient } from '../../widget/src/rest.js';

const conditional = (client: Client, path: string, etag: string | null): Promise<Reply> => client.request('GET', path, undefined, etag ? { 'If-None-Match': etag } : {});

function etagOf(reply: Reply): string {
  const etag = reply.headers.get('etag');
  expect(etag, `an ETag on ${reply.status}`).to.match(/^W\/"[^"]+"$/);
  return etag!;
}

async function project(owner: TestUser, name = 'Lists'): Promise<string> {
  const reply = await owner.client.post('/api/projects', { name });
  expect(reply.status).to.equal(201);
  return reply.body.id as string;
}

async function addMember(owner: TestUser, projectId: string, who: TestUser, role = 'member'): Promise<void> {
  const reply = await owner.client.post(`/api/projects/${projectId}/members`, { email: who.email, role });
  expect(reply.status, JSON.stringify(reply.body)).to.equal(201);
}

async function generalRoom(client: Client, projectId: string): Promise<string> {
  const rooms = (await client.get(`/api/projects/${projectId}/rooms`)).body.items as { id: string; name: string }[];
  return rooms.find((r) => r.name === 'general')!.id;
}

forEachApi('Conditional lists', (api) => {
  it('answers 200 with a weak ETag, Cache-Control private, no-cache and Vary on the caller, then 304 without a body on every list', async () => {
    const owner = await registerUser(api);
    const projectId = await project(owner);
    await owner.client.post(`/api/projects/${projectId}/tasks`, { title: 'One' });
    const roomId = await generalRoom(owner.client, projectId);
    await owner.client.post(`/api/rooms/${roomId}/messages`, { text: 'hello' });
    const paths = [
      `/api/projects/${projectId}/tasks?limit=50`,
      `/api/projects/${projectId}/columns`,
      `/api/projects/${projectId}/rooms`,
      `/api/rooms/${roomId}/messages?limit=20`,
      `/api/projects/${projectId}/members`,
    ];
    for (const path of paths) {
      const first = await owner.client.get(path);
      expect(first.status, path).to.equal(200);
      const etag = etagOf(first);
      expect(first.headers.get('cache-control'), path).to.equal('private, no-cache');
      expect(first.headers.get('vary') ?? '', path).to.match(/Authorization/i).and.match(/X-Taskwire-User/i);
      expect(first.headers.get('content-type'), path).to.match(/^application\/json/);
      // A second read comes from the kept page: the same bytes and tag.
      const again = await owner.client.get(path);
      expect(again.body, path).to.deep.equal(first.body);
      expect(etagOf(again), path).to.equal(etag);
      const notModified = await conditional(owner.client, path, etag);
      expect(notModified.status, path).to.equal(304);
      expect(notModified.body, path).to.equal(null);
      expect(notModified.headers.get('etag'), path).to.equal(etag);
      // One of several tags, and the strong form of the same tag, match too (weak comparison).
      expect((await conditional(owner.client, path, `W/"other", ${etag}`)).status, path).to.equal(304);
      expect((await conditional(owner.client, path, etag.slice(2))).status, path).to.equal(304);
      expect((await conditional(owner.client, path, 'W/"stale"')).status, path).to.equal(200);
    }
  });

  it('answers 200 with the new content to the old ETag once anything changed, for the same query and not for another', async () => {
    const owner = await registerUser(api);
    const projectId = await project(owner);
    await owner.client.post(`/api/projects/${projectId}/tasks`, { title: 'First' });
    const path = `/api/projects/${projectId}/tasks?limit=50`;
    const columns = `/api/projects/${projectId}/columns`;
    const before = await owner.client.get(path);
    const etag = etagOf(before);
    const columnsTag = etagOf(await owner.client.get(columns));
    expect((await conditional(owner.client, path, etag)).status).to.equal(304);
    // Another query of the same list is another page and another tag.
    const other = await owner.client.get(`/api/projects/${projectId}/tasks?limit=10`);
    expect(etagOf(other)).to.not.equal(etag);
    expect((await conditional(owner.client, `/api/projects/${projectId}/tasks?limit=10`, etag)).status).to.equal(200);

    const created = (await owner.client.post(`/api/projects/${projectId}/tasks`, { title: 'Second' })).body;
    const after = await conditional(owner.client, path, etag);
    expect(after.status).to.equal(200);
    expect(after.body.items.map((t: { title: string }) => t.title)).to.deep.equal(['First', 'Second']);
    expect(etagOf(after)).to.not.equal(etag);
    const counted = await conditional(owner.client, columns, columnsTag);
    expect(counted.status).to.equal(200);
    expect(counted.body.items[0].count).to.equal(2);

    // An edit (no new item) changes it as well, and so does a project's own change (a renamed column).
    const current = etagOf(after);
    await owner.client.patch(`/api/tasks/${created.id}`, { title: 'Second, edited', version: created.version });
    const edited = await conditional(owner.client, path, current);
    expect(edited.status).to.equal(200);
    expect(edited.body.items[1].title).to.equal('Second, edited');
    const view = (await owner.client.get(`/api/projects/${projectId}`)).body;
    const renamed = view.columns.map((c: { key: string; name: string }, i: number) => (i === 0 ? { ...c, name: 'Inbox' } : c));
    const columnsNow = etagOf(await owner.client.get(columns));
    expect((await owner.client.patch(`/api/projects/${projectId}`, { columns: renamed })).status).to.equal(200);
    const recount = await conditional(owner.client, columns, columnsNow);
    expect(recount.status).to.equal(200);
    expect(recount.body.items[0].name).to.equal('Inbox');
  });

  it('never hands a private room, or a tag made for someone who sees it, to a reader who does not; joining changes the tag', async () => {
    const owner = await registerUser(api);
    const outsider = await registerUser(api);
    const other = await registerUser(api);
    const projectId = await project(owner);
    await addMember(owner, projectId, outsider);
    await addMember(owner, projectId, other);
    const secret = (await owner.client.post(`/api/projects/${projectId}/rooms`, { name: 'secret', private: true })).body;
    const path = `/api/projects/${projectId}/rooms`;

    // The owner's page is made and kept first.
    const ownerPage = await owner.client.get(path);
    const ownerTag = etagOf(ownerPage);
    expect(ownerPage.body.items.map((r: { name: string }) => r.name)).to.include('secret');
    expect((await conditional(owner.client, path, ownerTag)).status).to.equal(304);

    // The outsider, even presenting the owner's tag, gets its own page without the room, and another tag.
    const outsiderPage = await conditional(outsider.client, path, ownerTag);
    expect(outsiderPage.status).to.equal(200);
    expect(outsiderPage.body.items.map((r: { name: string }) => r.name)).to.not.include('secret');
    expect(JSON.stringify(outsiderPage.body)).to.not.contain(secret.id);
    const outsiderTag = etagOf(outsiderPage);
    expect(outsiderTag).to.not.equal(ownerTag);
    // Someone who sees the same rooms shares the page and the tag (the key is what one may see, not who one is).
    expect(etagOf(await other.client.get(path))).to.equal(outsiderTag);

    // Added to the room, the outsider's old tag is no longer current and the room appears.
    expect((await owner.client.post(`/api/rooms/${secret.id}/members`, { userId: outsider.id })).status).to.equal(201);
    const joined = await conditional(outsider.client, path, outsiderTag);
    expect(joined.status).to.equal(200);
    expect(joined.body.items.map((r: { name: string }) => r.name)).to.include('secret');
    // ... while `other`, still outside, keeps a page without it.
    const still = await other.client.get(path);
    expect(still.body.items.map((r: { name: string }) => r.name)).to.not.include('secret');
    expect(etagOf(still)).to.not.equal(etagOf(joined));

    // The private room's messages: its member gets them; the one still outside gets no page and no tag, even with the member's.
    await owner.client.post(`/api/rooms/${secret.id}/messages`, { text: 'classified' });
    const messages = `/api/rooms/${secret.id}/messages?limit=20`;
    const inside = await outsider.client.get(messages);
    expect(inside.status).to.equal(200);
    const refused = await conditional(other.client, messages, etagOf(inside));
    expect(refused.status).to.equal(404);
    expect(refused.headers.get('etag')).to.equal(null);
    expect(JSON.stringify(refused.body)).to.not.contain('classified');
  });

  it('checks access on every request: a removed member or a member who left a private room gets 404, not 304', async () => {
    const owner = await registerUser(api);
    const member = await registerUser(api);
    const projectId = await project(owner);
    await addMember(owner, projectId, member);
    const secret = (await owner.client.post(`/api/projects/${projectId}/rooms`, { name: 'inner', private: true })).body;
    await owner.client.post(`/api/rooms/${secret.id}/members`, { userId: member.id });
    const messages = `/api/rooms/${secret.id}/messages?limit=20`;
    const messagesTag = etagOf(await member.client.get(messages));
    expect((await conditional(member.client, messages, messagesTag)).status).to.equal(304);

    // Leaving the room: its messages are no longer the member's to read.
    expect((await member.client.delete(`/api/rooms/${secret.id}/members/${member.id}`)).status).to.equal(204);
    expect((await conditional(member.client, messages, messagesTag)).status).to.be.oneOf([403, 404]);

    const path = `/api/projects/${projectId}/tasks?limit=50`;
    const tag = etagOf(await member.client.get(path));
    expect((await conditional(member.client, path, tag)).status).to.equal(304);
    expect((await owner.client.delete(`/api/projects/${projectId}/members/${member.id}`)).status).to.equal(204);
    const gone = await conditional(member.client, path, tag);
    expect(gone.status).to.equal(404);
    expect(gone.headers.get('etag')).to.equal(null);
    // Not even with the tag that is current now (every reader of the tasks shares it): the ex-member learns nothing.
    const current = etagOf(await owner.client.get(path));
    expect((await conditional(owner.client, path, current)).status).to.equal(304);
    const refused = await conditional(member.client, path, current);
    expect(refused.status).to.equal(404);
    expect(refused.headers.get('etag')).to.equal(null);
    // A signed-out caller is 401 whatever it presents.
    expect((await conditional(new Client(api.url), path, current)).status).to.equal(401);
  });

  it('a deleted project answers 404 to its last tag', async () => {
    const owner = await registerUser(api);
    const projectId = await project(owner);
    const path = `/api/projects/${projectId}/tasks?limit=50`;
    const tag = etagOf(await owner.client.get(path));
    expect((await owner.client.delete(`/api/projects/${projectId}`)).status).to.equal(204);
    expect((await conditional(owner.client, path, tag)).status).to.equal(404);
  });

  it('the members list follows renamed accounts, which no project feed records', async () => {
    const owner = await registerUser(api);
    const member = await registerUser(api);
    const projectId = await project(owner);
    await addMember(owner, projectId, member);
    const path = `/api/projects/${projectId}/members`;
    const first = await owner.client.get(path);
    const tag = etagOf(first);
    expect((await conditional(owner.client, path, tag)).status).to.equal(304);
    const seqBefore = (await owner.client.get(`/api/projects/${projectId}/changes?since=0&limit=1`)).body.lastSeq;
    expect((await member.client.patch('/api/me', { name: 'Renamed Person' })).status).to.equal(200);
    // Nothing in the project's feed...
    expect((await owner.client.get(`/api/projects/${projectId}/changes?since=0&limit=1`)).body.lastSeq).to.equal(seqBefore);
    // ...and yet the old tag is not current, and the page shows the new name.
    const after = await conditional(owner.client, path, tag);
    expect(after.status).to.equal(200);
    expect(after.body.items.find((m: { userId: string }) => m.userId === member.id).name).to.equal('Renamed Person');
    expect(etagOf(after)).to.not.equal(tag);
  });

  it('a write this node\'s bus never carried (a worker process on the same store) still changes the answer', async () => {
    const owner = await registerUser(api);
    const projectId = await project(owner);
    const path = `/api/projects/${projectId}/tasks?limit=50`;
    const tag = etagOf(await owner.client.get(path));
    expect(etagOf(await owner.client.get(path))).to.equal(tag);
    // Another process's services: same store, a bus of their own (as `npm run worker` without REDIS_URL).
    const elsewhere: ServiceDeps = { store: api.server.store, bus: createLocalBus(createLogger('silent')), logger: createLogger('silent'), ...defaultClock(), passwords: DEFAULT_PASSWORD_POLICY };
    await tasks.createTask(elsewhere, { kind: 'user', userId: owner.id, tokenId: 'elsewhere', tokenKind: 'session', isAdmin: false }, projectId, { title: 'From the worker' });
    const after = await conditional(owner.client, path, tag);
    expect(after.status).to.equal(200);
    expect(after.body.items.map((t: { title: string }) => t.title)).to.include('From the worker');
  });

  it('the widget\'s REST client sends If-None-Match and answers a 304 with the body it kept', async () => {
    const owner = await registerUser(api);
    const projectId = await project(owner);
    await owner.client.post(`/api/projects/${projectId}/tasks`, { title: 'Kept' });
    const rest = new RestClient({ server: api.url, token: owner.token, userToken: null });
    const statuses: number[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = async (...args: Parameters<typeof fetch>) => {
      const response = await realFetch(...args);
      statuses.push(response.status);
      return response;
    };
    try {
      const first = await rest.tasks(projectId, { limit: 50 });
      const second = await rest.tasks(projectId, { limit: 50 });
      expect(second).to.deep.equal(first);
      expect(second.items.map((t) => t.title)).to.deep.equal(['Kept']);
      await rest.createTask(projectId, { title: 'New' });
      const third = await rest.tasks(projectId, { limit: 50 });
      expect(third.items.map((t) => t.title)).to.deep.equal(['Kept', 'New']);
      expect(statuses).to.deep.equal([200, 304, 201, 200]);
    } finally {
      globalThis.fetch = realFetch;
    }
  });

  it('documents ETag, If-None-Match and 304 on exactly the conditional lists in the served OpenAPI document', async () => {
    const doc = (await new Client(api.url).get('/api/openapi.json')).body;
    const documented = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, ops]) =>
      Object.entries(ops).filter(([, op]) => op.responses['304']).map(([method]) => `${method} ${path}`),
    );
    expect(documented.sort()).to.deep.equal(
      ['get /api/projects/{projectId}/columns', 'get /api/projects/{projectId}/members', 'get /api/projects/{projectId}/rooms', 'get /api/projects/{projectId}/tasks', 'get /api/rooms/{roomId}/messages'].sort(),
    );
    for (const entry of documented) {
      const [method, path] = entry.split(' ') as [string, string];
      const op = doc.paths[path][method];
      expect(op.parameters.some((p: { name: string; in: string }) => p.name === 'If-None-Match' && p.in === 'header'), entry).to.equal(true);
      expect(op.responses['200'].headers.ETag.required, entry).to.equal(true);
      expect(op.responses['304'].content, entry).to.equal(undefined);
    }
  });

  it('lets browsers send If-None-Match across origins and counts hits, misses and 304s in /metrics', async () => {
    const preflight = await new Client(api.url).request('OPTIONS', '/api/projects/x/tasks', undefined, {
      Origin: 'https://host.example',
      'Access-Control-Request-Method': 'GET',
      'Access-Control-Request-Headers': 'authorization, if-none-match',
    });
    expect(preflight.headers.get('access-control-allow-headers') ?? '').to.match(/If-None-Match/i);
    const count = async (outcome: string) => {
      const text = (await new Client(api.url).get('/metrics')).body as string;
      const line = text.split('\n').find((l) => l.startsWith(`taskwire_list_cache_requests_total{outcome="${outcome}"}`));
      return line ? Number(line.split(' ').at(-1)) : 0;
    };
    const owner = await registerUser(api);
    const projectId = await project(owner);
    const path = `/api/projects/${projectId}/tasks?limit=7`;
    const [miss0, hit0, nm0] = [await count('miss'), await count('hit'), await count('not_modified')];
    const tag = etagOf(await owner.client.get(path));
    await owner.client.get(path);
    await conditional(owner.client, path, tag);
    expect(await count('miss')).to.equal(miss0 + 1);
    expect(await count('hit')).to.equal(hit0 + 1);
    expect(await count('not_modified')).to.equal(nm0 + 1);
  });
});

describe('Conditional lists on two nodes (MongoDB-compatible store + Redis bus)', function () {
  this.timeout(300_000);
  let redis: RedisServer | null = null;
  let nodeA: RunningServer | undefined;
  let nodeB: RunningServer | undefined;
  let urlA = '';
  let urlB = '';

  before(async function () {
    this.timeout(600_000);
    await useService(this, 'mongo', 'conditional lists across nodes');
    await useService(this, 'redis', 'conditional lists across nodes');
    redis = await startRedis();
    const mongo = (await getMongo())!;
    const env = { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', REGISTRATION: 'open', MONGODB_URI: mongo.uri(`tw_etag_${randomUUID().slice(0, 8)}`), REDIS_URL: redis!.url };
    const start = async (dir: string) => {
      const config = loadConfig({ ...env, DATA_DIR: makeTempDir(dir) });
      const server = await startServer(config, createLogger(config.logLevel), TEST_TUNING);
      return { server, url: `http://127.0.0.1:${(server.http.address() as AddressInfo).port}` };
    };
    const a = await start('tw-etag-a');
    const b = await start('tw-etag-b');
    [nodeA, urlA, nodeB, urlB] = [a.server, a.url, b.server, b.url];
  });

  after(async () => {
    await Promise.all([nodeA?.stop(1000), nodeB?.stop(1000)]);
    await redis?.stop();
  });

  it('a write on node A changes node B\'s answer at once, kept page or not', async () => {
    const owner = await registerUser({ url: urlA, server: nodeA! });
    const projectId = await project(owner);
    const onB = new Client(urlB, owner.token);
    const path = `/api/projects/${projectId}/tasks?limit=50`;
    for (let round = 1; round <= 5; round++) {
      const tag = etagOf(await onB.get(path));
      // Kept on B, and current.
      expect((await conditional(onB, path, tag)).status).to.equal(304);
      expect((await owner.client.post(`/api/projects/${projectId}/tasks`, { title: `Task ${round}` })).status).to.equal(201);
      // No wait for the bus: the very next request on B sees it.
      const after = await conditional(onB, path, tag);
      expect(after.status, `round ${round}`).to.equal(200);
      expect(after.body.items).to.have.length(round);
    }
  });

  it('with the Redis bus down, and just after it is back, node B never answers with a stale page or a stale 304', async () => {
    const owner = await registerUser({ url: urlA, server: nodeA! });
    const projectId = await project(owner);
    const onB = new Client(urlB, owner.token);
    const path = `/api/projects/${projectId}/tasks?limit=50`;
    const tag = etagOf(await onB.get(path));
    expect(etagOf(await onB.get(path))).to.equal(tag);

    redis!.kill();
    // A's publish fails (the commit stands); B hears nothing.
    expect((await owner.client.post(`/api/projects/${projectId}/tasks`, { title: 'While down' })).status).to.equal(201);
    const down = await conditional(onB, path, tag);
    expect(down.status).to.equal(200);
    expect(down.body.items.map((t: { title: string }) => t.title)).to.deep.equal(['While down']);
    const downTag = etagOf(down);
    expect((await conditional(onB, path, downTag)).status).to.equal(304);

    await redis!.restart();
    expect((await owner.client.post(`/api/projects/${projectId}/tasks`, { title: 'After restart' })).status).to.equal(201);
    const back = await conditional(onB, path, downTag);
    expect(back.status).to.equal(200);
    expect(back.body.items.map((t: { title: string }) => t.title)).to.deep.equal(['While down', 'After restart']);
  });
});

/** Just what ListCache.serve reads and writes of a Koa context. */
function fakeCtx(ifNoneMatch = '') {
  const headers: Record<string, string> = {};
  return { get: (name: string) => (name === 'If-None-Match' ? ifNoneMatch : ''), set: (k: string, v: string) => (headers[k] = v), vary: () => {}, headers } as unknown as Context & { headers: Record<string, string> };
}

describe('List cache bounds and configuration', () => {

  it('keeps at most LIST_CACHE_MB worth of pages, dropping the least recently used first, and drops a project\'s pages on its change', async () => {
    let handler: ((change: Change) => void) | null = null;
    let computed = 0;
    const cache = new ListCache({
      store: { changes: { lastSeq: async () => 7, list: async () => [] } },
      bus: { subscribe: (h) => ((handler = h as (change: Change) => void), () => {}) },
      maxBytes: 40_000,
    });
    const page = (projectId: string, n: number) => ({
      list: 'test', input: { n }, scope: async () => ({ projectId, visibility: '*' }),
      compute: async () => (computed++, { items: ['x'.repeat(9_000)] }),
    });
    for (let n = 0; n < 10; n++) await cache.serve(fakeCtx(), page('p', n));
    expect(cache.size.bytes).to.be.at.most(40_000);
    expect(cache.size.entries).to.be.within(3, 4);
    computed = 0;
    await cache.serve(fakeCtx(), page('p', 9));
    expect(computed, 'the newest page is kept').to.equal(0);
    await cache.serve(fakeCtx(), page('p', 0));
    expect(computed, 'the oldest page was dropped').to.equal(1);
    // A page larger than a quarter of the cache is served, never kept.
    const huge = { ...page('p', 99), compute: async () => ({ items: ['y'.repeat(20_000)] }) };
    const reply = await cache.serve(fakeCtx(), huge);
    expect(reply.status).to.equal(200);
    expect(cache.size.bytes).to.be.at.most(40_000);
    handler!({ projectId: 'p', seq: 8, type: 'task.created', at: '', actorId: null, data: {}, audience: null });
    expect(cache.size).to.deep.equal({ entries: 0, bytes: 0 });
    const off = new ListCache({ store: { changes: { lastSeq: async () => 1, list: async () => [] } }, bus: { subscribe: () => () => {} }, maxBytes: 0 });
    const ctx = fakeCtx();
    const served = await off.serve(ctx, page('q', 1));
    expect(served.status).to.equal(200);
    expect(off.size.entries, 'LIST_CACHE_MB=0 keeps nothing').to.equal(0);
    // ... and still answers 304 to its tag.
    expect((await off.serve(fakeCtx(ctx.headers['ETag']), page('q', 1))).status).to.equal(304);
  });

  it('reads LIST_CACHE_MB as whole megabytes from 0 to 4096, 32 by default', () => {
    expect(loadConfig({}).listCacheBytes).to.equal(32 * 1024 * 1024);
    expect(loadConfig({ LIST_CACHE_MB: '0' }).listCacheBytes).to.equal(0);
    expect(loadConfig({ LIST_CACHE_MB: '4096' }).listCacheBytes).to.equal(4096 * 1024 * 1024);
    for (const bad of ['-1', '1.5', 'lots', '4097']) {
      expect(() => loadConfig({ LIST_CACHE_MB: bad }), bad).to.throw(ConfigError, /LIST_CACHE_MB/);
    }
  });
});
