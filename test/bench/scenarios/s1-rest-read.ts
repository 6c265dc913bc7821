// S1: GET /api/projects/:id/tasks?limit=200 (authenticated, 200 tasks) at 50
// connections, two paths reported apart:
//   200: no If-None-Match; Taskwire authorizes, reads the feed head and sends
//        the kept page (core/http/list-cache.ts). Against bare Koa sending the
//        very same bytes, already serialized, with the same validator headers
//        (target ≥ 0.8 ×); for reference, bare Koa and node:http serializing the
//        same object per request (S1's baselines before pages were kept).
//   304: If-None-Match with the current ETag; Taskwire authorizes and reads the
//        feed head, then 304. Against bare Koa answering 304 to the same tag.
// Then the same two paths in MongoDB mode on the FerretDB test server, figures
// only (FerretDB is not a MongoDB: no target, no bare).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchDatabase, benchFerretDB } from '../lib/backing.js';
import { startChild, type BenchChild } from '../lib/child.js';
import { cannon, type LoadResult } from '../lib/load.js';
import { CACHE_DIR } from '../lib/paths.js';
import { Phases } from '../lib/phases.js';
import { alternate, fmt, progress } from '../lib/progress.js';
import { call, createWorkspace, type TaskJson, type Workspace } from '../lib/rest.js';
import type { Settings } from '../lib/settings.js';
import { startTaskwire } from '../lib/taskwire.js';
import type { Row } from '../report.js';

type Kind = 'taskwire' | 'taskwire304' | 'koa' | 'koa304' | 'koaJson' | 'http';

const MONGO_SCENARIO = 'S1 REST read, MongoDB mode';
const MONGO_NOTE = 'on FerretDB, not representative of MongoDB';

export interface S1Result {
  rows: Row[];
  details: {
    payloadBytes: number;
    etag: string;
    runs: Record<Kind, LoadResult[]>;
    mongo: { skipped: string | null; runs: { taskwire: LoadResult[]; taskwire304: LoadResult[] } };
  };
}

/** Answers of `status` per second (autocannon's rps counts 2xx only, and a 304 is not one). */
const perSecond = (result: LoadResult, status: number): number => (result.seconds > 0 ? (result.statuses[String(status)] ?? 0) / result.seconds : 0);

function describe(result: LoadResult, status: number): string {
  const other = Object.entries(result.statuses).filter(([code]) => code !== String(status));
  return `${fmt(perSecond(result, status))} ${status}/s, p99 ${result.p99} ms${other.length ? `, other ${JSON.stringify(Object.fromEntries(other))}` : ''}${result.errors ? `, errors ${result.errors}` : ''}`;
}

/** The first page and its tag, checked: 200 with 200 tasks and a weak ETag, then 304 to that tag. */
async function firstPage(url: string, token: string): Promise<{ text: string; etag: string }> {
  const reply = await call<{ items: TaskJson[] }>('GET', url, { token });
  if (reply.status !== 200 || reply.body.items.length !== 200) throw new Error(`S1: expected 200 tasks, got ${reply.status} with ${reply.body.items?.length}`);
  const etag = reply.headers.get('etag');
  if (!etag?.startsWith('W/"')) throw new Error(`S1: expected a weak ETag, got ${etag}`);
  const again = await call('GET', url, { token, headers: { 'If-None-Match': etag } });
  if (again.status !== 304) throw new Error(`S1: expected 304 to If-None-Match, got ${again.status}`);
  return { text: JSON.stringify(reply.body), etag };
}

export async function runS1(settings: Settings, ws: Workspace, phases: Phases): Promise<S1Result> {
  const path = `/api/projects/${ws.projectId}/tasks?limit=200`;
  // The bytes as sent (the bench's client parsed them; Taskwire's JSON.stringify of the same page gives the same text).
  const raw = await fetch(`${ws.url}${path}`, { headers: { Authorization: `Bearer ${ws.token}` } });
  const payloadBytes = Buffer.from(await raw.arrayBuffer());
  const { text, etag } = await firstPage(`${ws.url}${path}`, ws.token);
  if (text !== payloadBytes.toString('utf8')) throw new Error('S1: two reads of the unchanged list gave different bytes');
  mkdirSync(CACHE_DIR, { recursive: true });
  const payloadFile = join(CACHE_DIR, 's1-payload.json');
  writeFileSync(payloadFile, payloadBytes);
  progress(`S1: payload ${fmt(payloadBytes.length)} bytes (200 tasks), ETag ${etag}; starting bare Koa (same bytes, 304) and node:http children`);

  const bare: BenchChild[] = [];
  const runs: Record<Kind, LoadResult[]> = { taskwire: [], taskwire304: [], koa: [], koa304: [], koaJson: [], http: [] };
  let rows: Row[];
  try {
    const koa = await startChild('bare-koa', 'bare-json-server', ['koa-bytes', payloadFile, etag]);
    bare.push(koa.child);
    const koaJson = await startChild('bare-koa-json', 'bare-json-server', ['koa', payloadFile]);
    bare.push(koaJson.child);
    const http = await startChild('bare-http', 'bare-json-server', ['http', payloadFile]);
    bare.push(http.child);
    const auth = { Authorization: `Bearer ${ws.token}` };
    const targets: Record<Kind, { url: string; headers: Record<string, string>; status: number }> = {
      taskwire: { url: `${ws.url}${path}`, headers: auth, status: 200 },
      taskwire304: { url: `${ws.url}${path}`, headers: { ...auth, 'If-None-Match': etag }, status: 304 },
      koa: { url: `${koa.info.url}${path}`, headers: {}, status: 200 },
      koa304: { url: `${koa.info.url}${path}`, headers: { 'If-None-Match': etag }, status: 304 },
      koaJson: { url: `${koaJson.info.url}${path}`, headers: {}, status: 200 },
      http: { url: `${http.info.url}${path}`, headers: {}, status: 200 },
    };
    const run = (kind: Kind, seconds: number) => cannon({ url: targets[kind].url, headers: targets[kind].headers, connections: settings.connections, duration: seconds });

    for (const kind of ['koa', 'koa304', 'koaJson', 'http', 'taskwire', 'taskwire304'] as const) await run(kind, settings.warmupSeconds);
    for (let rep = 0; rep < settings.reps; rep++) {
      for (const kind of alternate<Kind>(rep, ['koa', 'koa304', 'koaJson', 'http'], ['taskwire', 'taskwire304'])) {
        const result = kind.startsWith('taskwire')
          ? await phases.time(kind === 'taskwire' ? 'S1 GET tasks 200' : 'S1 GET tasks 304', () => run(kind, settings.cannonSeconds))
          : await run(kind, settings.cannonSeconds);
        runs[kind].push(result);
        progress(`S1 rep ${rep + 1}/${settings.reps} ${kind.padEnd(11)} ${describe(result, targets[kind].status)}`);
      }
    }
    const rate = (kind: Kind) => runs[kind].map((r) => perSecond(r, targets[kind].status));
    const p99 = (kind: Kind) => runs[kind].map((r) => r.p99);
    rows = [
      { scenario: 'S1 REST read', figure: 'GET tasks ×200, 200 (kept page)', unit: 'req/s', tw: rate('taskwire'), bare: rate('koa'), bareName: 'Koa, same bytes', target: { text: '≥ 0.8 × bare Koa', kind: 'ratio-at-least', limit: 0.8 } },
      { scenario: 'S1 REST read', figure: 'GET tasks ×200, 200 (kept page)', unit: 'req/s', tw: rate('taskwire'), bare: rate('koaJson'), bareName: 'Koa, stringify' },
      { scenario: 'S1 REST read', figure: 'GET tasks ×200, 200 (kept page)', unit: 'req/s', tw: rate('taskwire'), bare: rate('http'), bareName: 'node:http, stringify' },
      { scenario: 'S1 REST read', figure: 'p99 latency, 200', unit: 'ms', tw: p99('taskwire'), bare: p99('koa'), bareName: 'Koa, same bytes' },
      { scenario: 'S1 REST read', figure: 'GET tasks, 304 (If-None-Match)', unit: '304/s', tw: rate('taskwire304'), bare: rate('koa304'), bareName: 'Koa 304' },
      { scenario: 'S1 REST read', figure: 'p99 latency, 304', unit: 'ms', tw: p99('taskwire304'), bare: p99('koa304'), bareName: 'Koa 304' },
    ];
  } finally {
    await Promise.all(bare.map((child) => child.stop()));
  }
  // MongoDB mode is a minute of FerretDB: in --quick only when named (--only S1-MONGO).
  const mongo = settings.quick && !settings.only?.has('S1-MONGO') ? { rows: [], details: { skipped: 'not in --quick (--only S1,S1-MONGO runs it)', runs: { taskwire: [], taskwire304: [] } } } : await runS1Mongo(settings);
  return { rows: [...rows, ...mongo.rows], details: { payloadBytes: payloadBytes.length, etag, runs, mongo: mongo.details } };
}

/** The same two paths on Taskwire in MongoDB mode against the FerretDB test server: figures only. */
async function runS1Mongo(settings: Settings): Promise<{ rows: Row[]; details: S1Result['details']['mongo'] }> {
  const empty = { taskwire: [] as LoadResult[], taskwire304: [] as LoadResult[] };
  const ferret = await benchFerretDB();
  if (!ferret.ok) {
    progress(`S1 MongoDB mode: skipped (${ferret.reason})`);
    return { rows: [{ scenario: MONGO_SCENARIO, figure: 'GET tasks ×200', unit: 'req/s', tw: [], bare: null, bareName: null, text: `skipped: ${ferret.reason}` }], details: { skipped: ferret.reason, runs: empty } };
  }
  const tw = await startTaskwire(settings, 's1-mongo', { MONGODB_URI: ferret.server.uri(benchDatabase('s1')), REGISTRATION: 'open' });
  try {
    const ws = await createWorkspace(tw.url, 200);
    const path = `/api/projects/${ws.projectId}/tasks?limit=200`;
    const { etag } = await firstPage(`${tw.url}${path}`, ws.token);
    progress(`S1 MongoDB mode (FerretDB): ${ws.tasks.length} tasks, ETag ${etag}`);
    const phases = new Phases(tw.child);
    const auth = { Authorization: `Bearer ${ws.token}` };
    const headers = { taskwire: auth, taskwire304: { ...auth, 'If-None-Match': etag } };
    const status = { taskwire: 200, taskwire304: 304 };
    const run = (kind: 'taskwire' | 'taskwire304', seconds: number) => cannon({ url: `${tw.url}${path}`, headers: headers[kind], connections: settings.connections, duration: seconds });
    await run('taskwire', settings.warmupSeconds);
    await run('taskwire304', settings.warmupSeconds);
    const runs = { taskwire: [] as LoadResult[], taskwire304: [] as LoadResult[] };
    for (let rep = 0; rep < settings.reps; rep++) {
      for (const kind of rep % 2 === 0 ? (['taskwire', 'taskwire304'] as const) : (['taskwire304', 'taskwire'] as const)) {
        const result = await phases.time(`S1 mongo ${status[kind]}`, () => run(kind, settings.cannonSeconds));
        runs[kind].push(result);
        progress(`S1 MongoDB mode rep ${rep + 1}/${settings.reps} ${kind.padEnd(11)} ${describe(result, status[kind])}`);
      }
    }
    const row = (figure: string, unit: string, values: number[]): Row => ({ scenario: MONGO_SCENARIO, figure: `${figure}, ${MONGO_NOTE}`, unit, tw: values, bare: null, bareName: null });
    return {
      rows: [
        row('GET tasks ×200, 200 (kept page)', 'req/s', runs.taskwire.map((r) => perSecond(r, 200))),
        row('p99 latency, 200', 'ms', runs.taskwire.map((r) => r.p99)),
        row('GET tasks, 304 (If-None-Match)', '304/s', runs.taskwire304.map((r) => perSecond(r, 304))),
        row('p99 latency, 304', 'ms', runs.taskwire304.map((r) => r.p99)),
      ],
      details: { skipped: null, runs },
    };
  } finally {
    await tw.child.stop();
  }
}
