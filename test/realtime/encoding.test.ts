// The shared encoding of `change` events (core/realtime/encoding.ts): one
// encoding per (change, view), written to each socket as socket.emit would,
// straight to the TCP socket when the connection is idle and through engine.io
// (in order behind whatever it holds) otherwise.

import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { Server, type Socket } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import type { Change } from '../../core/domain/entities.js';
import { ChangeEncoder, sendEncoded, writesDirectly } from '../../core/realtime/encoding.js';
import { waitFor } from '../support/socket.js';

const change = (seq: number, title = `task ${seq}`): Change => ({
  projectId: 'p1',
  seq,
  type: 'task.updated',
  at: new Date(0).toISOString(),
  actorId: 'u1',
  data: { id: 't1', title, note: 'é ✓ "quoted"' },
  audience: null,
});

describe('Shared change encodings', () => {
  let http: HttpServer;
  let server: Server;
  let client: ClientSocket;
  let socket: Socket;
  const received: { event: string; payload: unknown }[] = [];

  before(async () => {
    http = createServer();
    server = new Server(http, { path: '/socket.io', serveClient: false });
    const connected = new Promise<Socket>((resolve) => server.on('connection', resolve));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    client = connect(`http://127.0.0.1:${port}`, { path: '/socket.io', transports: ['websocket'], reconnection: false, forceNew: true });
    client.onAny((event: string, payload: unknown) => received.push({ event, payload }));
    socket = await connected;
    await waitFor(() => client.connected);
  });

  after(async () => {
    client.close();
    await server.close();
  });

  beforeEach(() => received.splice(0));

  it('encodes each change once per view and sends what socket.emit would', async () => {
    const encoder = new ChangeEncoder(server);
    const c = change(1);
    const full = encoder.change(c, 'full');
    expect(encoder.change(c, 'full')).to.equal(full);
    expect(encoder.change(c, 'redacted')).to.not.equal(full);
    // The shortcut is still available with the installed socket.io, engine.io and ws.
    expect(full.frame).to.be.instanceOf(Buffer);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(writesDirectly(socket)).to.equal(true);

    sendEncoded(socket, full);
    sendEncoded(socket, encoder.change(c, 'redacted'));
    socket.emit('change', { projectId: 'p1', seq: 1, type: 'task.updated', at: c.at, actorId: 'u1', data: c.data });
    await waitFor(() => received.length === 3);
    expect(received[0]).to.deep.equal(received[2]);
    expect(received[1]).to.deep.equal({ event: 'change', payload: { projectId: 'p1', seq: 1, type: 'redacted' } });
  });

  it('keeps the order of direct frames and packets engine.io holds back', async () => {
    const encoder = new ChangeEncoder(server);
    for (let seq = 1; seq <= 400; seq++) {
      if (seq % 7 === 0) socket.emit('change', { projectId: 'p1', seq, type: 'task.updated', at: new Date(0).toISOString(), actorId: 'u1', data: { id: 't1', title: `task ${seq}`, note: 'x' } });
      else sendEncoded(socket, encoder.change(change(seq), 'full'));
    }
    await waitFor(() => received.length === 400, 5000, 'all 400 changes');
    expect(received.map((r) => (r.payload as { seq: number }).seq)).to.deep.equal(Array.from({ length: 400 }, (_, i) => i + 1));
  });

  it('writes nothing to a socket that is gone', async () => {
    const encoder = new ChangeEncoder(server);
    socket.disconnect(true);
    await waitFor(() => !client.connected);
    expect(() => sendEncoded(socket, encoder.change(change(1), 'full'))).to.not.throw();
    expect(writesDirectly(socket)).to.equal(false);
  });
});
