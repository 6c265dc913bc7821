// S11: two Taskwire nodes sharing one store (MongoDB mode on the FerretDB test
// server: SQLite cannot be shared by two nodes) and the Redis bus, 2 × N/2
// sockets (one clients child per node), paced writes (PATCH) on node A; for
// each write, the time from the REST call to the last client on node B
// receiving it. Beside it, in the same run and on the same processes, store,
// database and Redis: one node holding all N sockets (the same two clients
// children, both on node A; node B stays up and idle), the same paced writes,
// the time to the last of the N clients. One node and two nodes alternate which
// goes first; every session opens fresh clients. FerretDB or redis-server
// missing: the scenario is reported as skipped, with the reason.

import { setTimeout as sleep } from 'node:timers/promises';
import { benchDatabase, benchFerretDB, benchRedis } from '../lib/backing.js';
import { startChild, type BenchChild } from '../lib/child.js';
import { clockOffset, now } from '../lib/clock.js';
import { markTitle, type Mark } from '../lib/marks.js';
import { Phases } from '../lib/phases.js';
import { alternate, fmt, progress } from '../lib/progress.js';
import { createWorkspace, patchTask } from '../lib/rest.js';
import type { Settings } from '../lib/settings.js';
import { startTaskwire, type TaskwireChild } from '../lib/taskwire.js';
import type { Row } from '../report.js';
import { percentile } from '../stats.js';

type Kind = 'one node' | 'two nodes';

export interface S11Session {
  kind: Kind;
  rep: number;
  /** Sockets subscribed through each clients child (the second is on node B with two nodes, on node A with one). */
  connected: [number, number];
  failed: number;
  connectMs: number;
  /** Per write (ms from the REST call): the last client of the first child (node A), of the second, of all. */
  lastA: number[];
  lastB: number[];
  lastAll: number[];
  /** REST answer times of the writes on node A. */
  writeMs: number[];
  /** Writes not received by every client within the wait. */
  incomplete: number;
}

export interface S11Result {
  rows: Row[];
  details: { skipped: string | null; socketsPerNode: number; writes: number; perSecond: number; sessions: S11Session[] };
}

const SCENARIO = 'S11 two nodes';

function skipped(reason: string, settings: Settings): S11Result {
  progress(`S11: skipped (${reason})`);
  return {
    rows: [{ scenario: SCENARIO, figure: 'paced p99, last client on node B', unit: 'ms', tw: [], bare: null, bareName: null, text: `skipped: ${reason}` }],
    details: { skipped: reason, socketsPerNode: settings.s11Sockets, writes: settings.s11Writes, perSecond: settings.s11PerSecond, sessions: [] },
  };
}

let runCounter = 0;

const p = (values: number[], q: number): string => fmt(percentile(values, q), 1);

/** `reps` pairs of sessions (one node, two nodes); the bench runs one pair in --quick. */
export async function runS11(settings: Settings, reps: number): Promise<S11Result> {
  const [ferret, redis] = await Promise.all([benchFerretDB(), benchRedis()]);
  if (!ferret.ok) return skipped(ferret.reason, settings);
  if (!redis.ok) return skipped(redis.reason, settings);
  const env = { MONGODB_URI: ferret.server.uri(benchDatabase('s11')), REDIS_URL: redis.server.url, REGISTRATION: 'open' };
  const nodes: TaskwireChild[] = [];
  try {
    nodes.push(...(await Promise.all([startTaskwire(settings, 's11-a', env), startTaskwire(settings, 's11-b', env)])));
    const [a, b] = nodes as [TaskwireChild, TaskwireChild];
    const ws = await createWorkspace(a.url, 1);
    const task = ws.tasks[0]!;
    let version = task.version;
    const phases = { a: new Phases(a.child), b: new Phases(b.child) };
    progress(`S11: nodes A ${a.url} and B ${b.url} on FerretDB + Redis (${redis.server.url})`);

    const session = async (kind: Kind, rep: number): Promise<S11Session> => {
      const n = settings.s11Sockets;
      const label = `${kind === 'two nodes' ? 'two' : 'one'}-${rep}`;
      const children: BenchChild[] = [];
      try {
        const [first, second] = await Promise.all([startChild(`clients-s11-${label}-a`, 'clients'), startChild(`clients-s11-${label}-b`, 'clients')]);
        children.push(first.child, second.child);
        const clients = [first.child, second.child] as const;
        const urls = [a.url, kind === 'two nodes' ? b.url : a.url];
        const t0 = now();
        const connects = [];
        for (const [i, child] of clients.entries()) {
          connects.push(await child.request<{ connected: number; failed: number; errors: string[] }>(
            'connect', { url: urls[i], token: ws.token, projectId: ws.projectId, n, batch: settings.batch, timeoutMs: 30_000 }, 600_000));
        }
        const connectMs = now() - t0;
        const connected = connects.map((c) => c.connected) as [number, number];
        if (connected.some((c) => c === 0)) throw new Error(`S11: no client could subscribe: ${connects.flatMap((c) => c.errors).join('; ')}`);
        const offsets = await Promise.all(clients.map(async (child) => (await clockOffset(() => child.request<number>('now'))).offsetMs));
        await sleep(1_000);

        const run = (runCounter++).toString(36).padStart(3, '0');
        const keys = Array.from({ length: settings.s11Writes }, (_, i) => markTitle(`s11${run}`, i));
        const sends = new Map<string, number>();
        const writeMs: number[] = [];
        const interval = 1000 / settings.s11PerSecond;
        const marks = await phases.a.time(`S11 paced, ${kind}`, () => phases.b.time(`S11 paced, ${kind}`, async () => {
          const start = now();
          for (const [i, title] of keys.entries()) {
            const wait = start + i * interval - now();
            if (wait > 0) await sleep(wait);
            const sent = now();
            sends.set(title, sent);
            const result = await patchTask(ws, task.id, version, title);
            writeMs.push(now() - sent);
            version = result.version;
            if (result.status !== 200) throw new Error(`S11: PATCH conflicted (${result.status}) though writes are sequential`);
          }
          return Promise.all(clients.map((child, i) =>
            child.request<{ complete: boolean; marks: Record<string, Mark | null> }>('waitMarks', { keys, count: connected[i], timeoutMs: 30_000 }, 60_000)));
        }));

        const lastOf = (i: number, key: string): number | null => {
          const mark = marks[i]!.marks[key];
          return mark && mark.count >= connected[i]! ? mark.last - offsets[i]! - sends.get(key)! : null;
        };
        const lastA: number[] = [];
        const lastB: number[] = [];
        const lastAll: number[] = [];
        let incomplete = 0;
        for (const key of keys) {
          const [la, lb] = [lastOf(0, key), lastOf(1, key)];
          if (la === null || lb === null) {
            incomplete++;
            continue;
          }
          lastA.push(la);
          lastB.push(lb);
          lastAll.push(Math.max(la, lb));
        }
        const failed = connects.reduce((sum, c) => sum + c.failed, 0);
        progress(
          `S11 rep ${rep + 1}/${reps} ${kind.padEnd(9)} ${fmt(connected[0])} + ${fmt(connected[1])} sockets${failed ? ` (${failed} failed: ${connects.flatMap((c) => c.errors)[0]})` : ''} in ${fmt(connectMs)} ms; ` +
            `last client p50/p99: ${kind === 'two nodes' ? 'node B' : 'second half'} ${p(lastB, 50)}/${p(lastB, 99)} ms, node A ${p(lastA, 50)}/${p(lastA, 99)} ms, all ${p(lastAll, 50)}/${p(lastAll, 99)} ms; ` +
            `PATCH p50 ${p(writeMs, 50)} ms${incomplete ? `; ${incomplete} writes incomplete` : ''}`,
        );
        return { kind, rep, connected, failed, connectMs, lastA, lastB, lastAll, writeMs, incomplete };
      } finally {
        await Promise.all(children.map((child) => child.stop()));
      }
    };

    const sessions: S11Session[] = [];
    for (let rep = 0; rep < reps; rep++) {
      for (const kind of alternate<Kind>(rep, ['one node'], ['two nodes'])) sessions.push(await session(kind, rep));
    }
    const of = (kind: Kind, pick: (s: S11Session) => number) => sessions.filter((s) => s.kind === kind).map(pick);
    const total = fmt(2 * settings.s11Sockets);
    const figure = (what: string) => `paced ${settings.s11PerSecond}/s ${what}, 2 × ${fmt(settings.s11Sockets)} vs 1 × ${total}`;
    const bareName = 'one node';
    const rows: Row[] = [
      { scenario: SCENARIO, figure: figure('p50, last client on B'), unit: 'ms', tw: of('two nodes', (s) => percentile(s.lastB, 50)), bare: of('one node', (s) => percentile(s.lastAll, 50)), bareName },
      {
        scenario: SCENARIO, figure: figure('p99, last client on B'), unit: 'ms', tw: of('two nodes', (s) => percentile(s.lastB, 99)), bare: of('one node', (s) => percentile(s.lastAll, 99)), bareName,
        target: { text: '≤ 1.3 × one node', kind: 'ratio-at-most', limit: 1.3 },
      },
      { scenario: SCENARIO, figure: figure('p99, last client on A'), unit: 'ms', tw: of('two nodes', (s) => percentile(s.lastA, 99)), bare: of('one node', (s) => percentile(s.lastAll, 99)), bareName },
      { scenario: SCENARIO, figure: 'PATCH on node A p50', unit: 'ms', tw: of('two nodes', (s) => percentile(s.writeMs, 50)), bare: of('one node', (s) => percentile(s.writeMs, 50)), bareName },
      { scenario: SCENARIO, figure: 'writes every client got', unit: '%', tw: of('two nodes', (s) => (100 * s.lastAll.length) / settings.s11Writes), bare: of('one node', (s) => (100 * s.lastAll.length) / settings.s11Writes), bareName, digits: 1 },
    ];
    return { rows, details: { skipped: null, socketsPerNode: settings.s11Sockets, writes: settings.s11Writes, perSecond: settings.s11PerSecond, sessions } };
  } finally {
    await Promise.all(nodes.map((node) => node.child.stop()));
  }
}
