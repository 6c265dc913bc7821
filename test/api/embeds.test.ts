import { expect } from 'chai';
import { SignJWT } from 'jose';
import { Client, forEachApi, registerUser, type TestUser } from '../support/api.js';
import { TestSocket, waitFor } from '../support/socket.js';

const INTRANET = 'https://intranet.example';

async function hostJwt(secret: string, claims: Record<string, unknown>, options: { audience: string; expiresIn?: string | number }): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setAudience(options.audience);
  if (options.expiresIn !== undefined) jwt.setExpirationTime(options.expiresIn);
  return jwt.sign(new TextEncoder().encode(secret));
}

forEachApi('Embed tokens and verified identity', (api) => {
  let owner: TestUser;
  let projectId: string;
  let generalId: string;
  const embedClient = (token: string, origin: string | null, userToken?: string) => {
    const headers: Record<string, string> = {};
    if (origin) headers.Origin = origin;
    if (userToken) headers['X-Taskwire-User'] = userToken;
    return {
      get: (path: string) => new Client(api.url, token).request('GET', path, undefined, headers),
      post: (path: string, body: unknown) => new Client(api.url, token).request('POST', path, body, headers),
    };
  };

  before(async () => {
    owner = await registerUser(api);
    projectId = (await owner.client.post('/api/projects', { name: 'Embedded' })).body.id;
    generalId = (await owner.client.get(`/api/projects/${projectId}/rooms`)).body.items[0].id;
    await owner.client.post(`/api/projects/${projectId}/tasks`, { title: 'Visible on the intranet' });
  });

  it('is managed by project admins only; the token and secret are shown once', async () => {
    const [viewer, outsider] = [await registerUser(api), await registerUser(api)];
    await owner.client.post(`/api/projects/${projectId}/members`, { email: viewer.email, role: 'viewer' });
    const body = { name: 'Intranet', origins: [INTRANET], role: 'viewer', identity: 'verified' };
    expect((await viewer.client.post(`/api/projects/${projectId}/embed-tokens`, body)).status).to.equal(403);
    expect((await outsider.client.post(`/api/projects/${projectId}/embed-tokens`, body)).status).to.equal(404);
    const created = await owner.client.post(`/api/projects/${projectId}/embed-tokens`, body);
    expect(created.status).to.equal(201);
    expect(created.body.token).to.match(/^twe_/);
    expect(created.body.secret).to.be.a('string').with.length.above(30);
    const listed = await owner.client.get(`/api/projects/${projectId}/embed-tokens`);
    expect(listed.body.items.map((e: { id: string }) => e.id)).to.include(created.body.id);
    expect(JSON.stringify(listed.body)).to.not.include(created.body.token).and.not.include(created.body.secret);
    const anonymous = await owner.client.post(`/api/projects/${projectId}/embed-tokens`, { ...body, identity: 'anonymous' });
    expect(anonymous.body.secret).to.equal(undefined);
    for (const origins of [[], ['intranet.example'], ['https://intranet.example/path'], ['javascript:alert(1)']]) {
      expect((await owner.client.post(`/api/projects/${projectId}/embed-tokens`, { ...body, origins })).status, JSON.stringify(origins)).to.equal(400);
    }
  });

  it('works only from its origins and only for its project; a viewer token reads but cannot write', async () => {
    const { token } = (await owner.client.post(`/api/projects/${projectId}/embed-tokens`, { name: 'Board', origins: [INTRANET], role: 'viewer', identity: 'anonymous' })).body;
    const fromIntranet = embedClient(token, INTRANET);
    const tasks = await fromIntranet.get(`/api/projects/${projectId}/tasks`);
    expect(tasks.status).to.equal(200);
    expect(tasks.body.items[0].title).to.equal('Visible on the intranet');
    expect((await embedClient(token, 'https://evil.example').get(`/api/projects/${projectId}/tasks`)).status).to.equal(401);
    expect((await embedClient(token, null).get(`/api/projects/${projectId}/tasks`)).status).to.equal(401);
    const other = (await owner.client.post('/api/projects', { name: 'Other' })).body.id;
    expect((await fromIntranet.get(`/api/projects/${other}/tasks`)).status).to.equal(404);
    expect((await fromIntranet.post(`/api/projects/${projectId}/tasks`, { title: 'nope' })).status).to.equal(403);
    expect((await fromIntranet.post(`/api/rooms/${generalId}/messages`, { text: 'nope' })).status).to.equal(403);
    expect((await fromIntranet.post(`/api/projects/${projectId}/embed-tokens`, { name: 'x', origins: [INTRANET], role: 'member' })).status).to.equal(403);
    expect((await fromIntranet.get('/api/me')).body.name).to.equal('Guest');
    expect((await fromIntranet.get('/api/tokens')).status).to.equal(403);
  });

  it('with verified identity acts as the host\'s user, and refuses a wrong signature, audience, expiry or a missing token', async () => {
    const created = (await owner.client.post(`/api/projects/${projectId}/embed-tokens`, { name: 'SSO', origins: [INTRANET], role: 'member', identity: 'verified' })).body;
    const good = await hostJwt(created.secret, { sub: 'host-42', name: 'Dana from Intranet', email: 'dana@intranet.example' }, { audience: projectId, expiresIn: '10m' });
    const posted = await embedClient(created.token, INTRANET, good).post(`/api/rooms/${generalId}/messages`, { text: 'hi from the intranet' });
    expect(posted.status).to.equal(201);
    expect(posted.body.authorName).to.equal('Dana from Intranet');
    const again = await embedClient(created.token, INTRANET, good).post(`/api/rooms/${generalId}/messages`, { text: 'same person' });
    expect(again.body.authorId).to.equal(posted.body.authorId);
    const me = await embedClient(created.token, INTRANET, good).get('/api/me');
    expect(me.body).to.include({ id: posted.body.authorId, name: 'Dana from Intranet' });
    // The host's email is never used to link or expose a Taskwire account.
    expect(me.body.email).to.match(/@embed\.invalid$/);

    const refused = [
      ['no JWT', undefined],
      ['wrong signature', await hostJwt('x'.repeat(40), { sub: 'host-42', name: 'Dana' }, { audience: projectId, expiresIn: '10m' })],
      ['wrong audience', await hostJwt(created.secret, { sub: 'host-42', name: 'Dana' }, { audience: 'another-project', expiresIn: '10m' })],
      ['expired', await hostJwt(created.secret, { sub: 'host-42', name: 'Dana' }, { audience: projectId, expiresIn: Math.floor(Date.now() / 1000) - 60 })],
      ['no expiry', await hostJwt(created.secret, { sub: 'host-42', name: 'Dana' }, { audience: projectId })],
      ['too far ahead', await hostJwt(created.secret, { sub: 'host-42', name: 'Dana' }, { audience: projectId, expiresIn: '3h' })],
      ['no name', await hostJwt(created.secret, { sub: 'host-42' }, { audience: projectId, expiresIn: '10m' })],
    ] as const;
    for (const [label, jwt] of refused) {
      const reply = await embedClient(created.token, INTRANET, jwt).post(`/api/rooms/${generalId}/messages`, { text: `as ${label}` });
      expect(reply.status, label).to.equal(401);
    }
    const messages = (await owner.client.get(`/api/rooms/${generalId}/messages?limit=50`)).body.items as { text: string }[];
    expect(messages.map((m) => m.text).filter((t) => t.startsWith('as '))).to.deep.equal([]);
  });

  it('checks the origin in the socket handshake and cuts open sockets when the token is deleted', async () => {
    const created = (await owner.client.post(`/api/projects/${projectId}/embed-tokens`, { name: 'Live', origins: [INTRANET], role: 'viewer', identity: 'anonymous' })).body;
    const foreign = new TestSocket(api.url, created.token, { extraHeaders: { Origin: 'https://evil.example' } });
    let refusal = '';
    await foreign.connected().catch((error: Error) => (refusal = error.message));
    expect(refusal).to.equal('unauthenticated');
    foreign.close();

    const socket = new TestSocket(api.url, created.token, { extraHeaders: { Origin: INTRANET } });
    await socket.connected();
    expect((await socket.subscribe(projectId)).ok).to.equal(true);
    const other = (await owner.client.post('/api/projects', { name: 'Not this one' })).body.id;
    expect((await socket.subscribe(other)).error?.code).to.equal('not_found');
    const cut = new Promise<number>((resolve) => {
      const t = Date.now();
      socket.socket.once('disconnect', () => resolve(Date.now() - t));
    });
    expect((await owner.client.delete(`/api/projects/${projectId}/embed-tokens/${created.id}`)).status).to.equal(204);
    expect(await cut).to.be.below(1000);
    await waitFor(() => socket.events.some((e) => e.name === 'revoked'), 1000, 'the revoked notice');
    expect((await embedClient(created.token, INTRANET).get(`/api/projects/${projectId}/tasks`)).status).to.equal(401);
  });
});
