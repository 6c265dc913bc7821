// S2: PATCH /api/tasks/:id (validated, versioned, feed appended, fanned out to
// 100 subscribed sockets) at 50 connections, against the honest baseline: a
// bare Koa + better-sqlite3 + socket.io server (baselines/koa-sqlite-patch.ts,
// its own child process) doing the same PATCH (parse, one UPDATE with a version
// check, one INSERT into a feed table, one broadcast to the same 100 sockets),
// seeded with the same 200 task documents. Both are driven by the same load
// code and the same clients child (100 sockets on each server, all connected
// throughout; only the server under load emits), alternating which goes first.
// Requests cycle over the 200 tasks with If-Match from a per-task version map
// fed by each answer's ETag (or a 409's current task), so concurrent edits of
// one task are rare; only 2xx count, 409s are reported apart.
//
// runS2Mongo: the same load on Taskwire in MongoDB mode against the FerretDB
// test server, in runs of at least 10 s; figures only (FerretDB is not a
// MongoDB: no target). One repetition in --quick.

import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BarePatchSeed } from '../baselines/koa-sqlite-patch.js';
import { benchDatabase, benchFerretDB } from '../lib/backing.js';
import { startChild, type BenchChild } from '../lib/child.js';
import { clockOffset, now } from '../lib/clock.js';
import { editTitle } from '../lib/fixtures.js';
import { cannon, type LoadResult } from '../lib/load.js';
import { CACHE_DIR } from '../lib/paths.js';
import { cpuMs } from '../lib/proc-cpu.js';
import { Phases } from '../lib/phases.js';
import { alternate, fmt, progress } from '../lib/progress.js';
import { call, createWorkspace, lastSeq, type TaskJson, type Workspace } from '../lib/rest.js';
import type { Settings } from '../lib/settings.js';
import { startTaskwire, type TaskwireChild } from '../lib/taskwire.js';
import type { Row } from '../report.js';

export interface PatchRun extends LoadResult {
  conflicts: number;
  deliveries: number;
  expectedDeliveries: number;
  deliveriesPerSecond: number;
  /** Changes committed per second of load (from the feed head): answered or not, e.g. past autocannon's 10 s timeout. */
  committedPerSecond: number;
  /** The server process's CPU time (all threads) over the load run, per 2xx answer; null off Linux. */
  cpuMsPerOk: number | null;
}

export interface S2Result {
  rows: Row[];
  details: { sockets: number; taskJsonBytes: number; taskwire: PatchRun[]; bare: PatchRun[] };
}

export interface S2MongoResult {
  rows: Row[];
  details: { sockets: number; skipped: string | null; taskwire: PatchRun[] };
}

type Deliveries = { deliveries: number; lastDeliveryAt: number };

function versionFrom(headers: Record<string, unknown>): number | null {
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'etag') continue;
    const match = /(\d+)/.exec(String(value));
    return match ? Number(match[1]) : null;
  }
  return null;
}

const listTasks = async (ws: Workspace): Promise<TaskJson[]> =>
  (await call<{ items: TaskJson[] }>('GET', `${ws.url}/api/projects/${ws.projectId}/tasks?limit=200`, { token: ws.token })).body.items;

/** Subscribes `n` sockets of the clients child to `ws`'s project; fails when any could not. */
async function subscribe(clients: BenchChild, ws: Workspace, settings: Settings): Promise<void> {
  const connected = await clients.request<{ connected: number; failed: number; errors: string[] }>(
    'connect', { url: ws.url, token: ws.token, projectId: ws.projectId, n: settings.s2Sockets, batch: settings.batch, timeoutMs: 30_000 }, 120_000);
  if (connected.failed > 0) throw new Error(`S2: ${connected.failed} sockets failed to subscribe to ${ws.url}: ${connected.errors.join('; ')}`);
}

/** Waits (at most 10 s) until the feed head has not moved for 200 ms, then 200 ms more for the last deliveries. */
async function settle(ws: Workspace): Promise<void> {
  const deadline = now() + 10_000;
  let head = await lastSeq(ws);
  while (now() < deadline) {
    await sleep(200);
    const next = await lastSeq(ws);
    if (next === head) break;
    head = next;
  }
  await sleep(200);
}

/**
 * The S2 load against one server: a function running autocannon for `seconds` and counting what the
 * clients child received meanwhile (it may hold sockets on other, idle servers too).
 */
export async function patchLoad(settings: Settings, ws: Workspace, clients: BenchChild, offsetMs: number, serverPid: number | undefined): Promise<(seconds: number) => Promise<PatchRun>> {
  const tasks = await listTasks(ws);
  if (tasks.length === 0) throw new Error(`S2: no tasks at ${ws.url}`);
  const versions = new Map(tasks.map((t) => [t.id, t.version]));
  const ids = tasks.map((t) => t.id);
  let counter = 0;
  const inFlight = new Set<string>();
  return async (seconds) => {
    // Requests still in flight when the previous run stopped are applied after it, without their answer being
    // read: wait until the feed head stands still (and their deliveries are in), then take the versions.
    await settle(ws);
    for (const task of await listTasks(ws)) versions.set(task.id, task.version);
    inFlight.clear();
    const seqBefore = await lastSeq(ws);
    const before = await clients.request<Deliveries>('deliveries');
    const started = now();
    const cpuBefore = serverPid === undefined ? null : cpuMs(serverPid);
    const result = await cannon({
      url: `${ws.url}/api/tasks/${ids[0]}`,
      connections: settings.connections,
      duration: seconds,
      requests: [
        {
          method: 'PATCH',
          setupRequest: (request, context) => {
            // The next task with no edit in flight (a slow answer must not make the next edit of its task stale).
            let id = ids[counter % ids.length]!;
            for (let tries = 0; inFlight.has(id) && tries < ids.length; tries++) id = ids[++counter % ids.length]!;
            counter++;
            inFlight.add(id);
            (context as { taskId?: string }).taskId = id;
            return {
              ...request,
              method: 'PATCH',
              path: `/api/tasks/${id}`,
              headers: { Authorization: `Bearer ${ws.token}`, 'Content-Type': 'application/json', 'If-Match': `"${versions.get(id)}"` },
              body: JSON.stringify({ title: editTitle(counter) }),
            };
          },
          onResponse: (status, body, context, headers) => {
            const id = (context as { taskId?: string }).taskId;
            if (!id) return;
            inFlight.delete(id);
            let version: number | null = null;
            if (status === 200) version = versionFrom(headers as Record<string, unknown>);
            else if (status === 409) {
              try {
                version = (JSON.parse(body) as { error?: { details?: { current?: { version?: number } }[] } }).error?.details?.[0]?.current?.version ?? null;
              } catch {
                version = null;
              }
            }
            if (version !== null) versions.set(id, version);
          },
        },
      ],
    });
    const cpuAfter = serverPid === undefined ? null : cpuMs(serverPid);
    const cpuMsPerOk = cpuBefore !== null && cpuAfter !== null && result.ok > 0 ? (cpuAfter - cpuBefore) / result.ok : null;
    // Every change the run committed (those answered, and those cut off in flight at the end, which a slow store
    // commits after autocannon stopped: hence the wait for the feed head to stand still) goes to every socket.
    await settle(ws);
    const changes = (await lastSeq(ws)) - seqBefore;
    const expected = before.deliveries + changes * settings.s2Sockets;
    const deadline = now() + 15_000;
    let after = await clients.request<Deliveries>('deliveries');
    while (after.deliveries < expected && now() < deadline) {
      await sleep(50);
      after = await clients.request<Deliveries>('deliveries');
    }
    const delivered = after.deliveries - before.deliveries;
    const span = (after.lastDeliveryAt - offsetMs - started) / 1000;
    return { ...result, conflicts: result.statuses['409'] ?? 0, deliveries: delivered, expectedDeliveries: changes * settings.s2Sockets, deliveriesPerSecond: span > 0 ? delivered / span : 0, committedPerSecond: result.seconds > 0 ? changes / result.seconds : 0, cpuMsPerOk };
  };
}

function describe(run: PatchRun): string {
  const other = Object.entries(run.statuses).filter(([code]) => !code.startsWith('2') && code !== '409');
  return (
    `${fmt(run.rps)} PATCH/s 2xx (${fmt(run.committedPerSecond)}/s committed), p50/p99 ${run.p50}/${run.p99} ms, 409 ×${run.conflicts}` +
    `${other.length ? `, other ${JSON.stringify(Object.fromEntries(other))}` : ''}${run.errors ? `, errors ${run.errors}` : ''}` +
    `, fan-out ${fmt(run.deliveries)}/${fmt(run.expectedDeliveries)} at ${fmt(run.deliveriesPerSecond)}/s` +
    `${run.cpuMsPerOk === null ? '' : `, server CPU ${fmt(run.cpuMsPerOk, 2)} ms per 2xx`}`
  );
}

const deliveredShare = (r: PatchRun): number => (r.expectedDeliveries ? (100 * r.deliveries) / r.expectedDeliveries : Number.NaN);

export async function runS2(settings: Settings, server: TaskwireChild, ws: Workspace, phases: Phases): Promise<S2Result> {
  const tasks = await listTasks(ws);
  const template = JSON.stringify({ ...tasks[0]!, title: editTitle(0) });
  const seed: BarePatchSeed = { token: `bare-${randomUUID()}`, projectId: ws.projectId, actorId: ws.userId, tasks };
  mkdirSync(CACHE_DIR, { recursive: true });
  const seedFile = join(CACHE_DIR, 's2-bare-seed.json');
  writeFileSync(seedFile, JSON.stringify(seed));

  const children: BenchChild[] = [];
  try {
    const bareServer = await startChild('bare-patch', 'bare-patch-server', [seedFile], settings.profile ? { profileName: `bare-patch-${Date.now()}` } : {});
    children.push(bareServer.child);
    const { child: clients } = await startChild('clients-s2', 'clients');
    children.push(clients);
    const bareWs: Workspace = { url: bareServer.info.url!, token: seed.token, userId: ws.userId, projectId: ws.projectId, tasks };
    await subscribe(clients, ws, settings);
    await subscribe(clients, bareWs, settings);
    const { offsetMs } = await clockOffset(() => clients.request<number>('now'));
    progress(`S2: ${settings.s2Sockets} sockets subscribed on Taskwire and ${settings.s2Sockets} on the bare Koa + SQLite + socket.io server`);
    const barePhases = new Phases(bareServer.child);
    const taskwireRun = await patchLoad(settings, ws, clients, offsetMs, server.child.proc.pid);
    const bareRun = await patchLoad(settings, bareWs, clients, offsetMs, bareServer.child.proc.pid);

    await taskwireRun(settings.warmupSeconds);
    await bareRun(settings.warmupSeconds);
    const runs: Record<'taskwire' | 'bare', PatchRun[]> = { taskwire: [], bare: [] };
    for (let rep = 0; rep < settings.reps; rep++) {
      for (const kind of alternate<'taskwire' | 'bare'>(rep, ['bare'], ['taskwire'])) {
        const result = kind === 'taskwire' ? await phases.time('S2 PATCH', () => taskwireRun(settings.cannonSeconds)) : await barePhases.time('S2 PATCH', () => bareRun(settings.cannonSeconds));
        runs[kind].push(result);
        progress(`S2 rep ${rep + 1}/${settings.reps} ${kind.padEnd(8)} ${describe(result)}`);
      }
    }
    const pair = (figure: string, unit: string, pick: (r: PatchRun) => number, extra: Partial<Row> = {}): Row => ({
      scenario: 'S2 REST write', figure, unit, tw: runs.taskwire.map(pick), bare: runs.bare.map(pick), bareName: 'Koa+SQLite+socket.io', ...extra,
    });
    const rows: Row[] = [
      pair(`PATCH task, ${settings.s2Sockets} sockets`, '2xx/s', (r) => r.rps, { target: { text: '≥ 0.7 × bare', kind: 'ratio-at-least', limit: 0.7 } }),
      pair('PATCH p50 latency', 'ms', (r) => r.p50),
      pair('PATCH p99 latency', 'ms', (r) => r.p99),
      pair('server CPU per 2xx PATCH', 'ms', (r) => r.cpuMsPerOk ?? Number.NaN),
      pair('409 conflicts per run', 'count', (r) => r.conflicts, { digits: 0 }),
      pair('fan-out deliveries', 'msg/s', (r) => r.deliveriesPerSecond),
      pair('delivered / expected', '%', deliveredShare, { digits: 1 }),
    ];
    return { rows, details: { sockets: settings.s2Sockets, taskJsonBytes: Buffer.byteLength(template), taskwire: runs.taskwire, bare: runs.bare } };
  } finally {
    await Promise.all(children.map((child) => child.stop()));
  }
}

const MONGO_SCENARIO = 'S2 REST write, MongoDB mode';
const MONGO_NOTE = 'on FerretDB, not representative of MongoDB';

/**
 * `reps` runs of at least 10 s: FerretDB commits one unit of a project at a time, tens of ms each, so the 50
 * connections queue for seconds and a 3 s run would end before most answers.
 */
export async function runS2Mongo(settings: Settings, reps: number): Promise<S2MongoResult> {
  const seconds = Math.max(settings.cannonSeconds, 10);
  const ferret = await benchFerretDB();
  if (!ferret.ok) {
    progress(`S2 MongoDB mode: skipped (${ferret.reason})`);
    return {
      rows: [{ scenario: MONGO_SCENARIO, figure: `PATCH task, ${settings.s2Sockets} sockets`, unit: '2xx/s', tw: [], bare: null, bareName: null, text: `skipped: ${ferret.reason}` }],
      details: { sockets: settings.s2Sockets, skipped: ferret.reason, taskwire: [] },
    };
  }
  const tw = await startTaskwire(settings, 'rest-mongo', { MONGODB_URI: ferret.server.uri(benchDatabase('s2')), REGISTRATION: 'open' });
  const children: BenchChild[] = [tw.child];
  try {
    const ws = await createWorkspace(tw.url, 200);
    const { child: clients } = await startChild('clients-s2-mongo', 'clients');
    children.push(clients);
    await subscribe(clients, ws, settings);
    const { offsetMs } = await clockOffset(() => clients.request<number>('now'));
    progress(`S2 MongoDB mode (FerretDB): ${ws.tasks.length} tasks, ${settings.s2Sockets} sockets subscribed`);
    const phases = new Phases(tw.child);
    const run = await patchLoad(settings, ws, clients, offsetMs, tw.child.proc.pid);
    await run(Math.max(settings.warmupSeconds, 3));
    const runs: PatchRun[] = [];
    for (let rep = 0; rep < reps; rep++) {
      const result = await phases.time('S2 PATCH mongo', () => run(seconds));
      runs.push(result);
      progress(`S2 MongoDB mode rep ${rep + 1}/${reps} (${seconds} s) ${describe(result)}`);
    }
    const row = (figure: string, unit: string, pick: (r: PatchRun) => number, extra: Partial<Row> = {}): Row => ({
      scenario: MONGO_SCENARIO, figure: `${figure}, ${MONGO_NOTE}`, unit, tw: runs.map(pick), bare: null, bareName: null, ...extra,
    });
    const rows: Row[] = [
      row(`PATCH task, ${settings.s2Sockets} sockets`, '2xx/s', (r) => r.rps),
      row('PATCH commits (answered or not)', 'per s', (r) => r.committedPerSecond),
      row('PATCH p50 latency', 'ms', (r) => r.p50),
      row('PATCH p99 latency', 'ms', (r) => r.p99),
      row('Taskwire CPU per 2xx PATCH', 'ms', (r) => r.cpuMsPerOk ?? Number.NaN),
      row('409 conflicts per run', 'count', (r) => r.conflicts, { digits: 0 }),
      row('delivered / expected', '%', deliveredShare, { digits: 1 }),
    ];
    return { rows, details: { sockets: settings.s2Sockets, skipped: null, taskwire: runs } };
  } finally {
    await Promise.all(children.map((child) => child.stop()));
  }
}
