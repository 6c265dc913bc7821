// Two real server processes behind no balancer, sharing the MongoDB-compatible
// store and a Redis: what one node commits reaches the other's sockets, and
// when a node is SIGKILLed mid-stream its clients resume on the other from
// their last seq and end with the full, contiguous sequence.

import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { Client } from '../support/api.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { killQuietly, startServerProcess, type StartedServer } from '../support/server-process.js';
import { getMongo, useService } from '../support/services.js';
import { makeTempDir } from '../support/tmp.js';
import { TestSocket, waitFor, type ChangeEvent } from '../support/socket.js';

const TOTAL = 1000;

/** A client that follows a project across nodes: on disconnect it resubscribes on the next node with its last seq. */
class FollowingClient {
  readonly changes: ChangeEvent[] = [];
  private socket: TestSocket | null = null;
  reconnects = 0;

  constructor(
    private readonly token: string,
    private readonly projectId: string,
  ) {}

  async attach(url: string): Promise<void> {
    const socket = new TestSocket(url, this.token);
    socket.socket.on('change', (change: ChangeEvent) => {
      const last = this.changes.at(-1)?.seq ?? this.since;
      if (change.seq === last + 1) this.changes.push(change);
      else this.violations.push(`got ${change.seq} after ${last}`);
    });
    await socket.connected();
    const ack = await socket.subscribe(this.projectId, this.changes.at(-1)?.seq ?? this.since);
    if (!ack.ok) throw new Error(`subscribe failed: ${JSON.stringify(ack)}`);
    this.socket = socket;
  }

  since = 0;
  readonly violations: string[] = [];

  onDisconnect(next: () => string): void {
    this.socket!.socket.once('disconnect', () => {
      this.reconnects++;
      void this.attach(next()).catch((error: unknown) => this.violations.push(`reattach failed: ${String(error)}`));
    });
  }

  close(): void {
    this.socket?.close();
  }
}

describe('Several nodes (MongoDB-compatible store + Redis)', function () {
  this.timeout(300_000);
  let redis: RedisServer | null = null;
  let nodeA: StartedServer | undefined;
  let nodeB: StartedServer | undefined;
  const clients: FollowingClient[] = [];
  /** The instance's first account, its admin: it vouches for the addresses of the people added to projects below. */
  let admin: Client;
  const register = async (name: string) => {
    const session = (await new Client(nodeB!.url).post('/api/auth/register', { email: `${name}-${randomUUID().slice(0, 8)}@example.test`, name, password: 'correct horse battery' }))
      .body as { user: { id: string; email: string }; token: string };
    await admin.patch(`/api/admin/users/${session.user.id}`, { verified: true });
    return session;
  };

  before(async function () {
    await useService(this, 'mongo', 'the multi-node realtime test');
    await useService(this, 'redis', 'the multi-node realtime test');
    redis = await startRedis();
    const mongo = (await getMongo())!;
    const env = { MONGODB_URI: mongo.uri(`tw_nodes_${randomUUID().slice(0, 8)}`), REDIS_URL: redis!.url, REGISTRATION: 'open' };
    [nodeA, nodeB] = await Promise.all([
      startServerProcess({ ...env, DATA_DIR: makeTempDir('tw-node-a') }, 60_000),
      startServerProcess({ ...env, DATA_DIR: makeTempDir('tw-node-b') }, 60_000),
    ]);
    const first = (await new Client(nodeB!.url).post('/api/auth/register', { email: `admin-${randomUUID().slice(0, 8)}@example.test`, name: 'Admin', password: 'correct horse battery' })).body as { token: string };
    admin = new Client(nodeB!.url, first.token);
  });

  after(async () => {
    clients.forEach((c) => c.close());
    killQuietly(nodeA);
    killQuietly(nodeB);
    await redis?.stop();
  });

  it('reports the Redis bus in /health on both nodes', async () => {
    for (const node of [nodeA!, nodeB!]) {
      expect(await (await fetch(`${node.url}/health`)).json()).to.deep.include({ status: 'ok', store: 'mongo', bus: 'redis' });
    }
  });

  it('keeps presence right across nodes and tabs: active while any tab is open on any node, offline after the last', async () => {
    const [ana, bo] = [await register('ana'), await register('bo')];
    const projectId = (await new Client(nodeB!.url, ana.token).post('/api/projects', { name: 'Presence' })).body.id as string;
    await new Client(nodeB!.url, ana.token).post(`/api/projects/${projectId}/members`, { email: bo.user.email, role: 'member' });
    const watcher = new TestSocket(nodeB!.url, ana.token);
    await watcher.connected();
    await watcher.subscribe(projectId);
    const states = () => watcher.presence.filter((p) => p.userId === bo.user.id).map((p) => p.state);

    const tabOnA = new TestSocket(nodeA!.url, bo.token);
    await tabOnA.connected();
    await waitFor(() => states().at(-1) === 'active', 5000, 'B to show bo active from a tab on A');
    const tabOnB = new TestSocket(nodeB!.url, bo.token);
    await tabOnB.connected();
    tabOnA.close();
    await new Promise((resolve) => setTimeout(resolve, 3500));
    expect(states()).to.deep.equal(['active']);
    const closedAt = Date.now();
    tabOnB.close();
    await waitFor(() => states().at(-1) === 'offline', 5000, 'bo offline after the last tab closed');
    expect(Date.now() - closedAt).to.be.below(5000);
    watcher.close();
  });

  it('delivers a write on node A to clients on node B, and survives SIGKILL of A while 1,000 changes stream', async () => {
    const owner = await register('owner');
    const onB = new Client(nodeB!.url, owner.token);
    const onA = new Client(nodeA!.url, owner.token);
    const projectId = (await onB.post('/api/projects', { name: 'Cluster' })).body.id as string;
    const roomId = (await onB.get(`/api/projects/${projectId}/rooms`)).body.items[0].id as string;
    const start = (await onB.get(`/api/projects/${projectId}/changes?since=0`)).body.lastSeq as number;

    // Cross-node: a socket on B sees what A commits.
    const watcherOnB = new TestSocket(nodeB!.url, owner.token);
    await watcherOnB.connected();
    await watcherOnB.subscribe(projectId);
    await onA.post(`/api/projects/${projectId}/tasks`, { title: 'from A' });
    await waitFor(() => watcherOnB.changes.some((c) => c.type === 'task.created'), 3000, 'B to see the write made on A');
    watcherOnB.close();
    const base = start + 1;

    for (let i = 0; i < 3; i++) {
      const client = new FollowingClient(owner.token, projectId);
      client.since = base;
      await client.attach(nodeA!.url);
      client.onDisconnect(() => nodeB!.url);
      clients.push(client);
    }

    let written = 0;
    const writer = (async () => {
      for (; written < TOTAL; written++) {
        const reply = await onB.post(`/api/rooms/${roomId}/messages`, { text: `m${written}` });
        if (reply.status !== 201) throw new Error(`write ${written} failed: ${reply.status}`);
      }
    })();
    // A member whose only tab is on A: when A dies without a goodbye, B must still show them offline in time.
    const member = await register('m');
    await onB.post(`/api/projects/${projectId}/members`, { email: member.user.email, role: 'member' });
    const presenceWatcher = new TestSocket(nodeB!.url, owner.token);
    await presenceWatcher.connected();
    await presenceWatcher.subscribe(projectId, (await onB.get(`/api/projects/${projectId}/changes?since=0&limit=1`)).body.lastSeq);
    const memberTab = new TestSocket(nodeA!.url, member.token);
    await memberTab.connected();
    const memberStates = () => presenceWatcher.presence.filter((p) => p.userId === member.user.id).map((p) => p.state);
    await waitFor(() => memberStates().at(-1) === 'active', 5000, 'the member active on A');

    await waitFor(() => written >= 250, 120_000, '250 writes before the kill');
    nodeA!.child.kill('SIGKILL');
    const killedAt = Date.now();
    await waitFor(() => memberStates().at(-1) === 'offline', 5000, 'the member on the killed node offline');
    expect(Date.now() - killedAt).to.be.below(5000);
    presenceWatcher.close();
    await writer;
    const final = (await onB.get(`/api/projects/${projectId}/changes?since=0&limit=1`)).body.lastSeq as number;
    expect(final).to.equal(base + TOTAL + 1);
    await waitFor(() => clients.every((c) => (c.changes.at(-1)?.seq ?? 0) >= final), 60_000, 'every client to reach the last seq');
    for (const client of clients) {
      expect(client.violations).to.deep.equal([]);
      expect(client.reconnects).to.equal(1);
      expect(client.changes.map((c) => c.seq)).to.deep.equal(Array.from({ length: final - base }, (_, i) => base + 1 + i));
    }
  });
});
