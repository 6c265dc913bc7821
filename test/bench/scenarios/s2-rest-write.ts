// S2: PATCH /api/tasks/:id (validated, versioned, feed appended, fanned out to
// 100 subscribed sockets) at 50 connections, against a bare better-sqlite3
// update loop (in its own child process) in the same run. Requests cycle over the 200 tasks with If-Match
// from a per-task version map fed by each answer's ETag (or a 409's current
// task), so concurrent edits of one task are rare; only 2xx count, 409s are reported apart.

import type { LoopResult } from '../baselines/sqlite-update-loop.js';
import { startChild } from '../lib/child.js';
import { clockOffset, now } from '../lib/clock.js';
import { editTitle } from '../lib/fixtures.js';
import { cannon, type LoadResult } from '../lib/load.js';
import type { Phases } from '../lib/phases.js';
import { alternate, fmt, progress } from '../lib/progress.js';
import { call, lastSeq, type TaskJson, type Workspace } from '../lib/rest.js';
import type { Settings } from '../lib/settings.js';
import type { Row } from '../report.js';
import { setTimeout as sleep } from 'node:timers/promises';

interface TaskwireRun extends LoadResult {
  conflicts: number;
  deliveries: number;
  expectedDeliveries: number;
  deliveriesPerSecond: number;
}

export interface S2Result {
  rows: Row[];
  details: { sockets: number; taskJsonBytes: number; taskwire: TaskwireRun[]; sqlite: LoopResult[] };
}

function versionFrom(headers: Record<string, unknown>): number | null {
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'etag') continue;
    const match = /(\d+)/.exec(String(value));
    return match ? Number(match[1]) : null;
  }
  return null;
}

export async function runS2(settings: Settings, ws: Workspace, phases: Phases): Promise<S2Result> {
  const listTasks = async () => (await call<{ items: TaskJson[] }>('GET', `${ws.url}/api/projects/${ws.projectId}/tasks?limit=200`, { token: ws.token })).body.items;
  const tasks = await listTasks();
  const versions = new Map(tasks.map((t) => [t.id, t.version]));
  const ids = tasks.map((t) => t.id);
  const template = JSON.stringify({ ...tasks[0]!, title: editTitle(0) });

  const { child: clients } = await startChild('clients-s2', 'clients');
  const { child: loop } = await startChild('sqlite-loop', 'sqlite-loop');
  const sqliteRun = (seconds: number) => loop.request<LoopResult>('run', { seconds, template }, seconds * 1000 + 60_000);
  try {
    const connected = await clients.request<{ connected: number; failed: number; errors: string[] }>(
      'connect', { url: ws.url, token: ws.token, projectId: ws.projectId, n: settings.s2Sockets, batch: settings.batch, timeoutMs: 30_000 }, 120_000);
    if (connected.failed > 0) throw new Error(`S2: ${connected.failed} sockets failed to subscribe: ${connected.errors.join('; ')}`);
    const { offsetMs } = await clockOffset(() => clients.request<number>('now'));
    progress(`S2: ${connected.connected} sockets subscribed`);

    let counter = 0;
    const inFlight = new Set<string>();
    const patchRun = async (seconds: number): Promise<TaskwireRun> => {
      // Requests still in flight when the previous run stopped were applied without their answer being read.
      for (const task of await listTasks()) versions.set(task.id, task.version);
      inFlight.clear();
      const seqBefore = await lastSeq(ws);
      const before = await clients.request<{ deliveries: number }>('deliveries');
      const started = now();
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
      // Every change the run committed (those answered, and those cut off in flight at the end) goes to every socket.
      const changes = (await lastSeq(ws)) - seqBefore;
      const expected = before.deliveries + changes * settings.s2Sockets;
      const deadline = now() + 30_000;
      let after = await clients.request<{ deliveries: number; lastDeliveryAt: number }>('deliveries');
      while (after.deliveries < expected && now() < deadline) {
        await sleep(50);
        after = await clients.request<{ deliveries: number; lastDeliveryAt: number }>('deliveries');
      }
      const delivered = after.deliveries - before.deliveries;
      const span = (after.lastDeliveryAt - offsetMs - started) / 1000;
      return { ...result, conflicts: result.statuses['409'] ?? 0, deliveries: delivered, expectedDeliveries: changes * settings.s2Sockets, deliveriesPerSecond: span > 0 ? delivered / span : 0 };
    };

    await patchRun(settings.warmupSeconds);
    await sqliteRun(settings.warmupSeconds);
    const taskwire: TaskwireRun[] = [];
    const sqlite: LoopResult[] = [];
    for (let rep = 0; rep < settings.reps; rep++) {
      for (const kind of alternate(rep, ['sqlite'], ['taskwire'])) {
        if (kind === 'sqlite') {
          const result = await sqliteRun(settings.cannonSeconds);
          sqlite.push(result);
          progress(`S2 rep ${rep + 1}/${settings.reps} sqlite   ${fmt(result.opsPerSecond)} updates/s (${fmt(result.jsonBytes)}-byte JSON)`);
        } else {
          const result = await phases.time('S2 PATCH', () => patchRun(settings.cannonSeconds));
          taskwire.push(result);
          const other = Object.entries(result.statuses).filter(([code]) => !code.startsWith('2') && code !== '409');
          progress(
            `S2 rep ${rep + 1}/${settings.reps} taskwire ${fmt(result.rps)} PATCH/s 2xx, p99 ${result.p99} ms, 409 ×${result.conflicts}` +
              `${other.length ? `, other ${JSON.stringify(Object.fromEntries(other))}` : ''}, fan-out ${fmt(result.deliveries)}/${fmt(result.expectedDeliveries)} at ${fmt(result.deliveriesPerSecond)}/s`,
          );
        }
      }
    }
    const rows: Row[] = [
      { scenario: 'S2 REST write', figure: 'PATCH task, 100 sockets', unit: '2xx/s', tw: taskwire.map((r) => r.rps), bare: sqlite.map((r) => r.opsPerSecond), bareName: 'better-sqlite3 tx' },
      { scenario: 'S2 REST write', figure: 'PATCH p99 latency', unit: 'ms', tw: taskwire.map((r) => r.p99), bare: null, bareName: null },
      { scenario: 'S2 REST write', figure: '409 conflicts per run', unit: 'count', tw: taskwire.map((r) => r.conflicts), bare: null, bareName: null, digits: 0 },
      { scenario: 'S2 REST write', figure: 'fan-out deliveries', unit: 'msg/s', tw: taskwire.map((r) => r.deliveriesPerSecond), bare: null, bareName: null },
      { scenario: 'S2 REST write', figure: 'delivered / expected', unit: '%', tw: taskwire.map((r) => (r.expectedDeliveries ? (100 * r.deliveries) / r.expectedDeliveries : 0)), bare: null, bareName: null, digits: 1 },
    ];
    return { rows, details: { sockets: settings.s2Sockets, taskJsonBytes: Buffer.byteLength(template), taskwire, sqlite } };
  } finally {
    await Promise.all([clients.stop(), loop.stop()]);
  }
}
