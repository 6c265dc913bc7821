import { expect } from 'chai';
import { Client, forEachApi, registerUser } from '../support/api.js';

forEachApi('Accounts, sessions and API tokens', (api) => {
  it('registers, reads and updates the caller, and keeps the password out of every answer', async () => {
    const anon = new Client(api.url);
    // The instance's first account becomes its admin; the one under test is an ordinary second one.
    await registerUser(api, 'First');
    const reply = await anon.post('/api/auth/register', { email: '  Ana.Lima@Example.TEST ', name: ' Ana ', password: 'correct horse battery' });
    expect(reply.status).to.equal(201);
    expect(reply.body.user).to.include({ email: 'ana.lima@example.test', name: 'Ana', isAdmin: false });
    expect(reply.body.token).to.match(/^tws_[\w-]{40,}$/);
    expect(JSON.stringify(reply.body)).to.not.match(/scrypt|passwordHash|horse/);
    const me = anon.as(reply.body.token);
    expect((await me.get('/api/me')).body).to.deep.include({ id: reply.body.user.id, email: 'ana.lima@example.test' });
    const patched = await me.patch('/api/me', { name: 'Ana L.', notify: { channels: { email: false } } });
    expect(patched.status).to.equal(200);
    expect(patched.body).to.deep.include({
      name: 'Ana L.',
      notify: {
        assigned: true, dueSoon: true, overdue: true, mentioned: true, digest: false, remindBefore: 1440, timezone: 'UTC',
        channels: { email: false, slack: true, discord: true },
      },
    });
    expect((await anon.post('/api/auth/register', { email: 'ana.lima@example.test', name: 'X', password: 'another password' })).status).to.equal(409);
  });

  it('logs in with the right pair only, with one message for unknown email and wrong password', async () => {
    const user = await registerUser(api);
    const anon = new Client(api.url);
    const good = await anon.post('/api/auth/login', { email: user.email.toUpperCase(), password: 'correct horse battery' });
    expect(good.status).to.equal(200);
    expect(good.body.user.id).to.equal(user.id);
    const wrong = await anon.post('/api/auth/login', { email: user.email, password: 'wrong password' });
    const unknown = await anon.post('/api/auth/login', { email: 'nobody@example.test', password: 'wrong password' });
    expect(wrong.status).to.equal(401);
    expect(unknown.status).to.equal(401);
    expect(wrong.body).to.deep.equal(unknown.body);
    expect(wrong.body.error.code).to.equal('unauthenticated');
  });

  it('logout revokes exactly the token used, at once', async () => {
    const user = await registerUser(api);
    const second = await new Client(api.url).post('/api/auth/login', { email: user.email, password: 'correct horse battery' });
    expect((await user.client.post('/api/auth/logout')).status).to.equal(204);
    const after = await user.client.get('/api/me');
    expect(after.status).to.equal(401);
    expect(after.body.error.code).to.equal('unauthenticated');
    expect((await user.client.as(second.body.token).get('/api/me')).status).to.equal(200);
  });

  it('creates, lists and revokes personal API tokens that authenticate like sessions', async () => {
    const user = await registerUser(api);
    const created = await user.client.post('/api/tokens', { name: 'ci bot' });
    expect(created.status).to.equal(201);
    expect(created.body.token).to.match(/^twa_/);
    const bot = user.client.as(created.body.token);
    expect((await bot.get('/api/me')).body.id).to.equal(user.id);
    const listed = await user.client.get('/api/tokens');
    expect(listed.body.items.map((t: { id: string }) => t.id)).to.deep.equal([created.body.id]);
    expect(JSON.stringify(listed.body)).to.not.include(created.body.token);
    const other = await registerUser(api);
    expect((await other.client.delete(`/api/tokens/${created.body.id}`)).status).to.equal(404);
    expect((await user.client.delete(`/api/tokens/${created.body.id}`)).status).to.equal(204);
    expect((await bot.get('/api/me')).status).to.equal(401);
  });

  it('a new password ends the other sessions but keeps the one that changed it', async () => {
    const user = await registerUser(api);
    const other = await new Client(api.url).post('/api/auth/login', { email: user.email, password: 'correct horse battery' });
    expect((await user.client.patch('/api/me', { password: 'a brand new secret' })).status).to.equal(200);
    expect((await user.client.get('/api/me')).status).to.equal(200);
    expect((await user.client.as(other.body.token).get('/api/me')).status).to.equal(401);
    expect((await new Client(api.url).post('/api/auth/login', { email: user.email, password: 'a brand new secret' })).status).to.equal(200);
  });
});
