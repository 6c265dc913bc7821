// The per-user `membership` event: being added to a project, a role change and
// a removal reach every socket of the person concerned, subscribed to that
// project or not (they were not in it yet), and nobody else's.

import { expect } from 'chai';
import { forEachApi, registerUser, type TestUser } from '../support/api.js';
import { connectSocket, waitFor, type TestSocket } from '../support/socket.js';

const membership = (socket: TestSocket) => socket.events.filter((e) => e.name === 'membership').map((e) => e.payload);

forEachApi('Membership events on the user\'s own sockets', (api) => {
  const sockets: TestSocket[] = [];
  const open = async (user: TestUser) => {
    const socket = await connectSocket(api.url, user.token);
    sockets.push(socket);
    return socket;
  };
  afterEach(() => sockets.splice(0).forEach((s) => s.close()));

  it('tells the added, promoted and removed person on each of their sockets, without a subscription, and nobody else', async () => {
    const [owner, bo, eve] = [await registerUser(api), await registerUser(api), await registerUser(api)];
    const projectId = (await owner.client.post('/api/projects', { name: 'People' })).body.id as string;
    const [tab1, tab2, owners, eves] = [await open(bo), await open(bo), await open(owner), await open(eve)];

    expect((await owner.client.post(`/api/projects/${projectId}/members`, { email: bo.email, role: 'viewer' })).status).to.equal(201);
    await waitFor(() => membership(tab1).length === 1 && membership(tab2).length === 1, 3000, 'the added event on both tabs');
    expect(membership(tab1)).to.deep.equal([{ projectId, action: 'added', role: 'viewer' }]);

    expect((await owner.client.patch(`/api/projects/${projectId}/members/${bo.id}`, { role: 'admin' })).status).to.equal(200);
    await waitFor(() => membership(tab2).length === 2, 3000, 'the role change');
    expect(membership(tab2)[1]).to.deep.equal({ projectId, action: 'role_changed', role: 'admin' });

    expect((await owner.client.delete(`/api/projects/${projectId}/members/${bo.id}`)).status).to.equal(204);
    await waitFor(() => membership(tab1).length === 3, 3000, 'the removal');
    expect(membership(tab1)[2]).to.deep.equal({ projectId, action: 'removed', role: null });

    // Only the person concerned hears of it.
    expect(membership(owners)).to.deep.equal([]);
    expect(membership(eves)).to.deep.equal([]);
  });
});
