// Under a read flood, requests with someone else's deadline (Slack's ack, Discord's interaction answer, the
// health check) are answered ahead of the queued reads, while an ordinary request waits its turn. The server runs
// as its own process, so the flood and the measuring client do not share its event loop.

import { Agent, request } from 'node:http';
import { expect } from 'chai';
import { Client } from '../support/api.js';
import { killQuietly, startServerProcess, type StartedServer } from '../support/server-process.js';
import { makeTempDir } from '../support/tmp.js';

const READERS = 40;
const FLOOD_MS = 2_500;

interface Timed {
  status: number;
  ms: number;
}

function send(agent: Agent, url: string, method: string, headers: Record<string, string> = {}, body = ''): Promise<Timed> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('Requests with a deadline, under a read flood', function () {
  this.timeout(90_000);
  let server: StartedServer | undefined;

  after(() => killQuietly(server));

  it('answers the Slack endpoint and /health ahead of queued reads; an ordinary request waits behind them', async () => {
    server = await startServerProcess({ DATA_DIR: makeTempDir('tw-lane'), REGISTRATION: 'open' }, 60_000);
    const session = (await new Client(server.url).post('/api/auth/register', { email: 'lane@example.test', name: 'Lane', password: 'correct horse battery' })).body as { token: string };
    const owner = new Client(server.url, session.token);
    const projectId = (await owner.post('/api/projects', { name: 'Flood' })).body.id as string;
    for (let i = 0; i < 60; i++) await owner.post(`/api/projects/${projectId}/tasks`, { title: `Task ${i} with a title long enough to weigh something`, description: 'x'.repeat(400) });

    const readers = new Agent({ keepAlive: true, maxSockets: READERS });
    const probes = new Agent({ keepAlive: true, maxSockets: 1 });
    const auth = { authorization: `Bearer ${session.token}` };
    const readUrl = `${server.url}/api/projects/${projectId}/tasks?limit=200`;
    let reads = 0;
    const flooding = { on: true };
    const flood = Array.from({ length: READERS }, async () => {
      while (flooding.on) {
        const reply = await send(readers, readUrl, 'GET', auth);
        if (reply.status !== 200) throw new Error(`a read answered ${reply.status}`);
        reads++;
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 300));

    // Probes one at a time on one kept-alive connection each kind, alternating, while the reads go on.
    const slack: Timed[] = [];
    const health: Timed[] = [];
    const ordinary: Timed[] = [];
    const until = performance.now() + FLOOD_MS;
    while (performance.now() < until) {
      // Unsigned: refused with 401 before anything is done, which is an answer with the same deadline.
      slack.push(await send(probes, `${server.url}/slack/events`, 'POST', { 'content-type': 'application/json' }, '{}'));
      health.push(await send(probes, `${server.url}/health`, 'GET'));
      ordinary.push(await send(probes, `${server.url}/api/me`, 'GET', auth));
    }
    flooding.on = false;
    await Promise.all(flood);
    readers.destroy();
    probes.destroy();

    expect(reads, 'reads served during the flood').to.be.above(100);
    expect(slack.every((r) => r.status === 401 || r.status === 404), `Slack statuses ${[...new Set(slack.map((r) => r.status))].join(',')}`).to.equal(true);
    expect(health.every((r) => r.status === 200)).to.equal(true);
    expect(ordinary.every((r) => r.status === 200)).to.equal(true);
    const [slackMs, healthMs, ordinaryMs] = [median(slack.map((r) => r.ms)), median(health.map((r) => r.ms)), median(ordinary.map((r) => r.ms))];
    const figures = `medians: Slack ${slackMs.toFixed(1)} ms, health ${healthMs.toFixed(1)} ms, ordinary ${ordinaryMs.toFixed(1)} ms over ${ordinary.length} probes, ${reads} reads`;
    // Without the lane all three wait for the same reads; with it the urgent ones wait for one read at most.
    expect(slackMs * 3, figures).to.be.below(ordinaryMs);
    expect(healthMs * 3, figures).to.be.below(ordinaryMs);
  });
});
