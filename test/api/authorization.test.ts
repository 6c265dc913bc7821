// The authorization matrix: every route × every kind of caller gets the
// expected status. What a caller may not see is 404, never a 403 that would
// confirm it exists.

import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { Client, forEachApi, registerUser, type ApiServer, type TestUser } from '../support/api.js';

const ROLES = ['anonymous', 'outsider', 'viewer', 'member', 'admin', 'owner', 'otherProject'] as const;
type Caller = (typeof ROLES)[number];

interface World {
  api: ApiServer;
  users: Record<Exclude<Caller, 'anonymous'>, TestUser>;
  projectId: string;
  generalRoomId: string;
  taskId: string;
  messageId: string;
}

interface Case {
  route: string;
  /** Builds the request for one caller; may create a fresh resource for it (deletes consume theirs). */
  request(world: World, caller: Caller): Promise<{ path: string; body?: unknown; token?: string | null }>;
  expect: Record<Caller, number>;
}

// Expected statuses in ROLES order: anonymous, outsider, viewer, member, admin, owner, otherProject.
const row = (...statuses: number[]): Record<Caller, number> => Object.fromEntries(ROLES.map((r, i) => [r, statuses[i]!])) as Record<Caller, number>;
const READ = row(401, 404, 200, 200, 200, 200, 404);
const USER_ONLY = (ok: number) => row(401, ok, ok, ok, ok, ok, ok);

async function addMember(world: World, role: string): Promise<TestUser> {
  const user = await registerUser(world.api);
  const reply = await world.users.owner.client.post(`/api/projects/${world.projectId}/members`, { email: user.email, role });
  if (reply.status !== 201) throw new Error(`adding a member failed: ${JSON.stringify(reply.body)}`);
  return user;
}

async function freshTask(world: World): Promise<{ id: string; version: number }> {
  const reply = await world.users.owner.client.post(`/api/projects/${world.projectId}/tasks`, { title: `t-${randomUUID().slice(0, 6)}` });
  if (reply.status !== 201) throw new Error(`creating a task failed: ${JSON.stringify(reply.body)}`);
  return reply.body;
}

async function messageBy(world: World, author: TestUser): Promise<string> {
  const reply = await author.client.post(`/api/rooms/${world.generalRoomId}/messages`, { text: 'hello' });
  if (reply.status !== 201) throw new Error(`posting failed: ${JSON.stringify(reply.body)}`);
  return reply.body.id;
}

async function loginAgain(world: World, caller: Caller): Promise<string | null> {
  if (caller === 'anonymous') return null;
  const user = world.users[caller];
  const reply = await new Client(world.api.url).post('/api/auth/login', { email: user.email, password: 'correct horse battery' });
  return reply.body.token;
}

const CASES: Case[] = [
  { route: 'POST /api/auth/logout', request: async (w, c) => ({ path: '/api/auth/logout', token: await loginAgain(w, c) }), expect: USER_ONLY(204) },
  { route: 'GET /api/me', request: async () => ({ path: '/api/me' }), expect: USER_ONLY(200) },
  { route: 'PATCH /api/me', request: async () => ({ path: '/api/me', body: { name: 'Renamed' } }), expect: USER_ONLY(200) },
  { route: 'POST /api/tokens', request: async () => ({ path: '/api/tokens', body: { name: 'bot' } }), expect: USER_ONLY(201) },
  { route: 'GET /api/tokens', request: async () => ({ path: '/api/tokens' }), expect: USER_ONLY(200) },
  {
    route: 'DELETE /api/tokens/:tokenId',
    request: async (w, c) => {
      // Everyone tries to revoke the owner's token: only its owner may, others do not learn it exists.
      const id = (await w.users.owner.client.post('/api/tokens', { name: `t-${c}` })).body.id;
      return { path: `/api/tokens/${id}` };
    },
    expect: row(401, 404, 404, 404, 404, 204, 404),
  },
  { route: 'GET /api/projects', request: async () => ({ path: '/api/projects' }), expect: USER_ONLY(200) },
  { route: 'POST /api/projects', request: async () => ({ path: '/api/projects', body: { name: 'Mine' } }), expect: USER_ONLY(201) },
  { route: 'GET /api/projects/:projectId', request: async (w) => ({ path: `/api/projects/${w.projectId}` }), expect: READ },
  {
    route: 'PATCH /api/projects/:projectId',
    request: async (w) => ({ path: `/api/projects/${w.projectId}`, body: { description: 'changed' } }),
    expect: row(401, 404, 403, 403, 200, 200, 404),
  },
  { route: 'GET /api/projects/:projectId/members', request: async (w) => ({ path: `/api/projects/${w.projectId}/members` }), expect: READ },
  {
    route: 'POST /api/projects/:projectId/members',
    request: async (w) => ({ path: `/api/projects/${w.projectId}/members`, body: { email: (await registerUser(w.api)).email, role: 'member' } }),
    expect: row(401, 404, 403, 403, 201, 201, 404),
  },
  {
    route: 'PATCH /api/projects/:projectId/members/:userId',
    request: async (w) => ({ path: `/api/projects/${w.projectId}/members/${(await addMember(w, 'member')).id}`, body: { role: 'viewer' } }),
    expect: row(401, 404, 403, 403, 200, 200, 404),
  },
  {
    route: 'DELETE /api/projects/:projectId/members/:userId',
    request: async (w) => ({ path: `/api/projects/${w.projectId}/members/${(await addMember(w, 'member')).id}` }),
    expect: row(401, 404, 403, 403, 204, 204, 404),
  },
  { route: 'GET /api/projects/:projectId/changes', request: async (w) => ({ path: `/api/projects/${w.projectId}/changes?since=0` }), expect: READ },
  { route: 'GET /api/projects/:projectId/tasks', request: async (w) => ({ path: `/api/projects/${w.projectId}/tasks` }), expect: READ },
  {
    route: 'POST /api/projects/:projectId/tasks',
    request: async (w) => ({ path: `/api/projects/${w.projectId}/tasks`, body: { title: 'New' } }),
    expect: row(401, 404, 403, 201, 201, 201, 404),
  },
  { route: 'GET /api/tasks/:taskId', request: async (w) => ({ path: `/api/tasks/${w.taskId}` }), expect: READ },
  {
    route: 'PATCH /api/tasks/:taskId',
    request: async (w) => {
      const task = await freshTask(w);
      return { path: `/api/tasks/${task.id}`, body: { title: 'Edited', version: task.version } };
    },
    expect: row(401, 404, 403, 200, 200, 200, 404),
  },
  {
    route: 'POST /api/tasks/:taskId/move',
    request: async (w) => {
      const task = await freshTask(w);
      return { path: `/api/tasks/${task.id}/move`, body: { status: 'doing', version: task.version } };
    },
    expect: row(401, 404, 403, 200, 200, 200, 404),
  },
  {
    route: 'DELETE /api/tasks/:taskId',
    request: async (w) => ({ path: `/api/tasks/${(await freshTask(w)).id}` }),
    expect: row(401, 404, 403, 204, 204, 204, 404),
  },
  { route: 'GET /api/projects/:projectId/rooms', request: async (w) => ({ path: `/api/projects/${w.projectId}/rooms` }), expect: READ },
  {
    route: 'POST /api/projects/:projectId/rooms',
    request: async (w) => ({ path: `/api/projects/${w.projectId}/rooms`, body: { name: `r-${randomUUID().slice(0, 8)}` } }),
    expect: row(401, 404, 403, 201, 201, 201, 404),
  },
  { route: 'GET /api/rooms/:roomId/messages', request: async (w) => ({ path: `/api/rooms/${w.generalRoomId}/messages` }), expect: READ },
  {
    route: 'POST /api/rooms/:roomId/messages',
    request: async (w) => ({ path: `/api/rooms/${w.generalRoomId}/messages`, body: { text: 'hi' } }),
    expect: row(401, 404, 403, 201, 201, 201, 404),
  },
  {
    route: 'PATCH /api/messages/:messageId (a member\'s message)',
    request: async (w) => ({ path: `/api/messages/${await messageBy(w, w.users.member)}`, body: { text: 'edited' } }),
    expect: row(401, 404, 403, 200, 403, 403, 404),
  },
  {
    route: 'DELETE /api/messages/:messageId (a member\'s message)',
    request: async (w) => ({ path: `/api/messages/${await messageBy(w, w.users.member)}` }),
    expect: row(401, 404, 403, 204, 204, 204, 404),
  },
  {
    route: 'POST /api/rooms/:roomId/members (a private room of the owner)',
    request: async (w) => {
      const room = (await w.users.owner.client.post(`/api/projects/${w.projectId}/rooms`, { name: `p-${randomUUID().slice(0, 8)}`, private: true })).body;
      return { path: `/api/rooms/${room.id}/members`, body: { userId: (await addMember(w, 'member')).id } };
    },
    expect: row(401, 404, 404, 404, 201, 201, 404),
  },
  {
    route: 'DELETE /api/rooms/:roomId/members/:userId (a private room of the owner)',
    request: async (w) => {
      const room = (await w.users.owner.client.post(`/api/projects/${w.projectId}/rooms`, { name: `p-${randomUUID().slice(0, 8)}`, private: true })).body;
      const target = await addMember(w, 'member');
      await w.users.owner.client.post(`/api/rooms/${room.id}/members`, { userId: target.id });
      return { path: `/api/rooms/${room.id}/members/${target.id}` };
    },
    expect: row(401, 404, 404, 404, 204, 204, 404),
  },
  {
    route: 'POST /api/projects/:projectId/embed-tokens',
    request: async (w) => ({ path: `/api/projects/${w.projectId}/embed-tokens`, body: { name: 'e', origins: ['https://intranet.example'], role: 'viewer' } }),
    expect: row(401, 404, 403, 403, 201, 201, 404),
  },
  { route: 'GET /api/projects/:projectId/embed-tokens', request: async (w) => ({ path: `/api/projects/${w.projectId}/embed-tokens` }), expect: row(401, 404, 403, 403, 200, 200, 404) },
  {
    route: 'DELETE /api/projects/:projectId/embed-tokens/:embedTokenId',
    request: async (w) => {
      const id = (await w.users.owner.client.post(`/api/projects/${w.projectId}/embed-tokens`, { name: 'e', origins: ['https://intranet.example'], role: 'viewer' })).body.id;
      return { path: `/api/projects/${w.projectId}/embed-tokens/${id}` };
    },
    expect: row(401, 404, 403, 403, 204, 204, 404),
  },
  { route: 'GET /api/projects/:projectId/presence', request: async (w) => ({ path: `/api/projects/${w.projectId}/presence` }), expect: READ },
  { route: 'GET /api/projects/:projectId/export', request: async (w) => ({ path: `/api/projects/${w.projectId}/export` }), expect: row(401, 404, 403, 403, 200, 200, 404) },
  {
    route: 'DELETE /api/projects/:projectId',
    request: async (w) => {
      // Each caller gets a project of its own to try, where it holds the same role as in the shared one.
      const project = (await w.users.owner.client.post('/api/projects', { name: 'Doomed' })).body;
      for (const role of ['viewer', 'member', 'admin'] as const) {
        await w.users.owner.client.post(`/api/projects/${project.id}/members`, { email: w.users[role].email, role });
      }
      return { path: `/api/projects/${project.id}` };
    },
    expect: row(401, 404, 403, 403, 403, 204, 404),
  },
];

async function buildWorld(api: ApiServer): Promise<World> {
  const names = ['outsider', 'viewer', 'member', 'admin', 'owner', 'otherProject'] as const;
  const users = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await registerUser(api, n)]))) as World['users'];
  const project = (await users.owner.client.post('/api/projects', { name: 'Matrix' })).body;
  for (const role of ['viewer', 'member', 'admin'] as const) {
    await users.owner.client.post(`/api/projects/${project.id}/members`, { email: users[role].email, role });
  }
  await users.otherProject.client.post('/api/projects', { name: 'Elsewhere' });
  const rooms = (await users.owner.client.get(`/api/projects/${project.id}/rooms`)).body.items as { id: string; name: string }[];
  const world: World = { api, users, projectId: project.id, generalRoomId: rooms.find((r) => r.name === 'general')!.id, taskId: '', messageId: '' };
  world.taskId = (await freshTask(world)).id;
  world.messageId = await messageBy(world, users.owner);
  return world;
}

forEachApi('Authorization matrix', (api) => {
  let world: World;
  before(async function () {
    this.timeout(120_000);
    world = await buildWorld(api);
  });

  for (const testCase of CASES) {
    it(`${testCase.route}: ${ROLES.map((r) => `${r} ${testCase.expect[r]}`).join(', ')}`, async function () {
      this.timeout(120_000);
      const [method, path] = testCase.route.split(' ') as [string, string];
      void path;
      const got: Partial<Record<Caller, number>> = {};
      for (const caller of ROLES) {
        const request = await testCase.request(world, caller);
        const token = request.token !== undefined ? request.token : caller === 'anonymous' ? null : world.users[caller].token;
        const reply = await new Client(api.url, token).request(method, request.path, request.body);
        got[caller] = reply.status;
        if (reply.status >= 400) expect(reply.body?.error?.code, `${caller}: error shape`).to.be.a('string');
      }
      expect(got).to.deep.equal(testCase.expect);
    });
  }
});
