import { expect } from 'chai';
import { Client, TEST_TUNING, startApi, type ApiServer } from '../support/api.js';

describe('Login and registration limits', function () {
  let api: ApiServer;
  before(async function () {
    api = await startApi('sqlite', this, { ...TEST_TUNING, throttle: { loginPerIp: 8, loginFailuresPerAccount: 3, registerPerIp: 4, windowSeconds: 60 } });
  });
  after(async () => api?.stop());

  it('refuses a fourth wrong password for one account with 429 and Retry-After, even with the right password', async () => {
    const anon = new Client(api.url);
    await anon.post('/api/auth/register', { email: 'target@example.test', name: 'T', password: 'correct horse battery' });
    for (let i = 0; i < 3; i++) expect((await anon.post('/api/auth/login', { email: 'target@example.test', password: 'guess' })).status).to.equal(401);
    const blocked = await anon.post('/api/auth/login', { email: 'TARGET@example.test', password: 'correct horse battery' });
    expect(blocked.status).to.equal(429);
    expect(blocked.body.error.code).to.equal('rate_limited');
    expect(Number(blocked.headers.get('retry-after'))).to.be.within(1, 60);
  });

  it('limits registrations and login attempts per IP', async () => {
    const anon = new Client(api.url);
    // One registration was spent by the case above.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await anon.post('/api/auth/register', { email: `r${i}@example.test`, name: 'R', password: 'correct horse battery' })).status);
    expect(statuses).to.deep.equal([201, 201, 201, 429]);
    // Four login attempts were spent above; four more reach the per-IP limit of eight, whatever the account.
    const logins: number[] = [];
    for (let i = 0; i < 5; i++) logins.push((await anon.post('/api/auth/login', { email: `r${i % 3}@example.test`, password: 'correct horse battery' })).status);
    expect(logins).to.deep.equal([200, 200, 200, 200, 429]);
  });
});
