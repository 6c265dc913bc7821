import { expect } from 'chai';
import { Client, STORE_KINDS, TEST_TUNING, registerUser, startApi, type ApiServer } from '../support/api.js';
import { connectSocket, waitFor, type TestSocket } from '../support/socket.js';

// Presence timings scaled down from minutes to milliseconds; the rules are the same.
const TIMINGS = { idleAfterMs: 1200, inactiveAfterMs: 2400, offlineAfterMs: 300 };

for (const kind of STORE_KINDS) {
  describe(`Presence [${kind}]`, function () {
    this.timeout(60_000);
    let api: ApiServer;
    const sockets: TestSocket[] = [];
    before(async function () {
      api = await startApi(kind, this, { ...TEST_TUNING, realtime: { presence: TIMINGS, presenceSweepMs: 50, heartbeatMs: 100, catchUpMs: 200 } });
    });
    after(async () => api?.stop());
    afterEach(() => sockets.splice(0).forEach((s) => s.close()));

    it('shows another member active, idle, inactive, active again, and offline once the last tab closes', async () => {
      const [ana, bo] = [await registerUser(api), await registerUser(api)];
      const projectId = (await ana.client.post('/api/projects', { name: 'Here' })).body.id as string;
      await ana.client.post(`/api/projects/${projectId}/members`, { email: bo.email, role: 'member' });
      const watcher = await connectSocket(api.url, ana.token);
      sockets.push(watcher);
      expect((await watcher.subscribe(projectId)).ok).to.equal(true);
      const states = () => watcher.presence.filter((p) => p.userId === bo.id && p.projectId === projectId).map((p) => p.state);
      const presenceOfBo = async () =>
        ((await ana.client.get(`/api/projects/${projectId}/presence`)).body.items as { userId: string; state: string }[]).find((p) => p.userId === bo.id)!.state;

      expect(await presenceOfBo()).to.equal('offline');
      const tab1 = await connectSocket(api.url, bo.token);
      sockets.push(tab1);
      await waitFor(() => states().includes('active'), 2000, 'bo active');
      expect(await presenceOfBo()).to.equal('active');
      await waitFor(() => states().includes('idle'), 4000, 'bo idle');
      await waitFor(() => states().includes('inactive'), 4000, 'bo inactive');
      expect(await presenceOfBo()).to.equal('inactive');
      expect((await tab1.request('activity', {})).ok).to.equal(true);
      await waitFor(() => states().at(-1) === 'active', 2000, 'bo active again after input');

      // A second tab, then the first one closes: still connected, so not offline.
      const tab2 = await connectSocket(api.url, bo.token);
      sockets.push(tab2);
      tab1.close();
      await new Promise((resolve) => setTimeout(resolve, TIMINGS.offlineAfterMs + 300));
      expect(states()).to.not.include('offline');
      const closedAt = Date.now();
      tab2.close();
      await waitFor(() => states().at(-1) === 'offline', 5000, 'bo offline');
      expect(Date.now() - closedAt).to.be.below(5000);
      expect(await presenceOfBo()).to.equal('offline');
      expect(states()).to.deep.equal(['active', 'idle', 'inactive', 'active', 'offline']);
    });

    it('does not let a non-member read presence', async () => {
      const [ana, eve] = [await registerUser(api), await registerUser(api)];
      const projectId = (await ana.client.post('/api/projects', { name: 'Private' })).body.id as string;
      expect((await eve.client.get(`/api/projects/${projectId}/presence`)).status).to.equal(404);
      expect((await new Client(api.url).get(`/api/projects/${projectId}/presence`)).status).to.equal(401);
    });
  });
}
