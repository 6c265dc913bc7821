// S1: GET /api/projects/:id/tasks?limit=200 (authenticated, 200 tasks) at 50
// connections, against a bare Koa route and a bare node:http route serving the
// same 200-task payload (precomputed), in the same run, alternating.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startChild, type BenchChild } from '../lib/child.js';
import { cannon, type LoadResult } from '../lib/load.js';
import { CACHE_DIR } from '../lib/paths.js';
import type { Phases } from '../lib/phases.js';
import { alternate, fmt, progress } from '../lib/progress.js';
import { call, type TaskJson, type Workspace } from '../lib/rest.js';
import type { Settings } from '../lib/settings.js';
import type { Row } from '../report.js';

type Kind = 'taskwire' | 'koa' | 'http';

export interface S1Result {
  rows: Row[];
  details: { payloadBytes: number; runs: Record<Kind, LoadResult[]> };
}

export async function runS1(settings: Settings, ws: Workspace, phases: Phases): Promise<S1Result> {
  const path = `/api/projects/${ws.projectId}/tasks?limit=200`;
  const reply = await call<{ items: TaskJson[] }>('GET', `${ws.url}${path}`, { token: ws.token });
  if (reply.status !== 200 || reply.body.items.length !== 200) throw new Error(`S1: expected 200 tasks, got ${reply.status} with ${reply.body.items?.length}`);
  const payloadText = JSON.stringify(reply.body);
  mkdirSync(CACHE_DIR, { recursive: true });
  const payloadFile = join(CACHE_DIR, 's1-payload.json');
  writeFileSync(payloadFile, payloadText);
  progress(`S1: payload ${fmt(payloadText.length)} bytes (200 tasks); starting bare Koa and node:http children`);

  const bare: BenchChild[] = [];
  try {
    const koa = await startChild('bare-koa', 'bare-json-server', ['koa', payloadFile]);
    bare.push(koa.child);
    const http = await startChild('bare-http', 'bare-json-server', ['http', payloadFile]);
    bare.push(http.child);
    const targets: Record<Kind, { url: string; headers: Record<string, string> }> = {
      taskwire: { url: `${ws.url}${path}`, headers: { Authorization: `Bearer ${ws.token}` } },
      koa: { url: `${koa.info.url}${path}`, headers: {} },
      http: { url: `${http.info.url}${path}`, headers: {} },
    };
    const run = (kind: Kind, seconds: number) => cannon({ url: targets[kind].url, headers: targets[kind].headers, connections: settings.connections, duration: seconds });

    for (const kind of ['koa', 'http', 'taskwire'] as const) await run(kind, settings.warmupSeconds);
    const runs: Record<Kind, LoadResult[]> = { taskwire: [], koa: [], http: [] };
    for (let rep = 0; rep < settings.reps; rep++) {
      for (const kind of alternate<Kind>(rep, ['koa', 'http'], ['taskwire'])) {
        const result = kind === 'taskwire' ? await phases.time('S1 GET tasks', () => run(kind, settings.cannonSeconds)) : await run(kind, settings.cannonSeconds);
        runs[kind].push(result);
        const other = Object.entries(result.statuses).filter(([code]) => !code.startsWith('2'));
        progress(`S1 rep ${rep + 1}/${settings.reps} ${kind.padEnd(8)} ${fmt(result.rps)} req/s, p99 ${result.p99} ms${other.length ? `, non-2xx ${JSON.stringify(Object.fromEntries(other))}` : ''}${result.errors ? `, errors ${result.errors}` : ''}`);
      }
    }
    const rps = (kind: Kind) => runs[kind].map((r) => r.rps);
    const p99 = (kind: Kind) => runs[kind].map((r) => r.p99);
    const rows: Row[] = [
      { scenario: 'S1 REST read', figure: 'GET tasks ×200', unit: 'req/s', tw: rps('taskwire'), bare: rps('koa'), bareName: 'Koa', target: { text: '≥ 0.5 × bare Koa', kind: 'ratio-at-least', limit: 0.5 } },
      { scenario: 'S1 REST read', figure: 'GET tasks ×200', unit: 'req/s', tw: rps('taskwire'), bare: rps('http'), bareName: 'node:http' },
      { scenario: 'S1 REST read', figure: 'p99 latency', unit: 'ms', tw: p99('taskwire'), bare: p99('koa'), bareName: 'Koa' },
      { scenario: 'S1 REST read', figure: 'p99 latency', unit: 'ms', tw: p99('taskwire'), bare: p99('http'), bareName: 'node:http' },
    ];
    return { rows, details: { payloadBytes: payloadText.length, runs } };
  } finally {
    await Promise.all(bare.map((child) => child.stop()));
  }
}
