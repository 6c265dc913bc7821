// TRUST_PROXY: behind a reverse proxy every request comes from the proxy's
// address, so the per-IP limits would lump all clients together; with the
// number of proxies set, the client address is the one those proxies appended
// to X-Forwarded-For, and an address a client wrote there itself is ignored.

import { expect } from 'chai';
import { Client, registerUser, startApi, TEST_TUNING, type ApiServer, type TestUser } from '../support/api.js';

const LOGINS_PER_IP = 2;
const tuning = { ...TEST_TUNING, throttle: { loginPerIp: LOGINS_PER_IP, loginFailuresPerAccount: 100, registerPerIp: 100, windowSeconds: 60 } };

describe('TRUST_PROXY and the per-IP limits', function () {
  let api: ApiServer | undefined;
  let user: TestUser;
  afterEach(async () => api?.stop());

  const login = (forwardedFor?: string) =>
    new Client(api!.url).request('POST', '/api/auth/login', { email: user.email, password: 'correct horse battery' }, forwardedFor ? { 'X-Forwarded-For': forwardedFor } : {});

  it('with TRUST_PROXY=1, counts each client the proxy saw, whatever the client wrote before it', async function () {
    api = await startApi('sqlite', this, tuning, { TRUST_PROXY: '1' });
    user = await registerUser(api);
    expect([(await login('203.0.113.1')).status, (await login('203.0.113.1')).status]).to.deep.equal([200, 200]);
    const refused = await login('203.0.113.1');
    expect(refused.status).to.equal(429);
    expect(refused.headers.get('retry-after')).to.match(/^\d+$/);
    expect((await login('203.0.113.2')).status, 'another client has its own count').to.equal(200);
    // The proxy appends the address it saw; the entry before it is the client's own claim.
    expect((await login('198.51.100.9, 203.0.113.1')).status, 'a forged first entry does not escape the limit').to.equal(429);
  });

  it('without TRUST_PROXY, ignores X-Forwarded-For: every request counts for the address it came from', async function () {
    api = await startApi('sqlite', this, tuning);
    user = await registerUser(api);
    const statuses = [];
    for (const address of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) statuses.push((await login(address)).status);
    expect(statuses).to.deep.equal([200, 200, 429]);
  });
});
