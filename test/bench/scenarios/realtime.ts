// S3, S5 and S6 share one session per (server, N, repetition): a server child,
// a clients child with N subscribed clients, then memory (S6), fan-out (S3) and
// the reconnect storm (S5). Bare socket.io and Taskwire alternate which goes first.

import { setTimeout as sleep } from 'node:timers/promises';
import { startChild } from '../lib/child.js';
import { clockOffset } from '../lib/clock.js';
import type { MemorySample } from '../lib/ipc-child.js';
import { Phases } from '../lib/phases.js';
import { alternate, fmt, progress } from '../lib/progress.js';
import { startTarget, type ServerKind } from '../lib/realtime-targets.js';
import type { Settings } from '../lib/settings.js';
import type { Row, Target } from '../report.js';
import { fanOut, pacedWrites, type S3Sample } from './s3-fanout.js';
import { reconnectStorm, type S5Sample } from './s5-reconnect.js';
import { perClient, type S6Sample } from './s6-memory.js';

export interface Session {
  kind: ServerKind;
  n: number;
  rep: number;
  connectMs: number;
  connected: number;
  failed: number;
  errors: string[];
  clockRttMs: number;
  nofile: { server: string | null; clients: string | null };
  s3: S3Sample;
  s5: S5Sample;
  s6: S6Sample;
}

export interface RealtimeResult {
  rows: Row[];
  details: { sessions: Session[] };
}

let runCounter = 0;
const runId = () => (runCounter++).toString(36).padStart(3, '0');

async function session(kind: ServerKind, n: number, rep: number, settings: Settings): Promise<Session> {
  const target = await startTarget(kind, settings, `${n}-${rep}`);
  try {
    await sleep(500);
    const before = await target.child.request<MemorySample>('memory');
    const { child: clients, info } = await startChild(`clients-${kind}-${n}-${rep}`, 'clients');
    try {
      const clock = await clockOffset(() => clients.request<number>('now'));
      const phases = new Phases(target.child);
      const connect = await phases.time('connect+subscribe', () =>
        clients.request<{ connected: number; failed: number; ms: number; errors: string[] }>(
          'connect', { url: target.url, token: target.token, projectId: target.projectId, n, batch: settings.batch, timeoutMs: 30_000 }, 600_000));
      if (connect.connected === 0) throw new Error(`no client could subscribe: ${connect.errors.join('; ')}`);
      await sleep(1_000);
      const after = await target.child.request<MemorySample>('memory');
      const s6 = perClient(before, after, connect.connected);
      const s3 = await fanOut(target, clients, clock.offsetMs, connect.connected, settings, runId(), phases);
      const s5 = await phases.time('S5 reconnect', () => reconnectStorm(target, clients, settings));
      progress(
        `RT N=${fmt(n)} rep ${rep + 1}/${settings.reps} ${kind.padEnd(8)} connect ${fmt(connect.ms)} ms` +
          `${connect.failed ? ` (${connect.failed} failed: ${connect.errors[0]})` : ''}; S6 ${fmt(s6.rssPerClientKb, 1)} KB RSS, ${fmt(s6.heapPerClientKb, 1)} KB heap per client; ` +
          `S3 paced p50/p99 ${fmt(s3.pacedP50, 1)}/${fmt(s3.pacedP99, 1)} ms, burst p50/p99 ${fmt(s3.burstP50)}/${fmt(s3.burstP99)} ms, ${fmt(s3.burstDeliveriesPerSecond)} deliveries/s` +
          `, CPU/write ${fmt(s3.pacedCpuMsPerWrite, 1)}/${fmt(s3.burstCpuMsPerWrite, 1)} ms` +
          `${s3.incomplete ? `, ${s3.incomplete} writes incomplete` : ''}; S5 ${fmt(s5.ms)} ms (${s5.caught}/${s5.n} caught up${s5.failed ? `, ${s5.failed} failed` : ''}${s5.timedOut ? ', TIMED OUT' : ''}${s5.listenOverflows ? `, ${fmt(s5.listenOverflows)} listen-queue overflows` : ''}, CPU server ${fmt(s5.serverCpuMs)} ms, clients ${fmt(s5.clientsCpuMs)} ms)`,
      );
      return {
        kind, n, rep, connectMs: connect.ms, connected: connect.connected, failed: connect.failed, errors: connect.errors, clockRttMs: clock.rttMs,
        nofile: { server: target.nofile, clients: info.nofile }, s3, s5, s6,
      };
    } finally {
      await clients.stop();
    }
  } finally {
    await target.child.stop();
  }
}

export async function runRealtime(settings: Settings): Promise<RealtimeResult> {
  const sessions: Session[] = [];
  for (const n of settings.ns) {
    for (let rep = 0; rep < settings.reps; rep++) {
      for (const kind of alternate<ServerKind>(rep, ['bare'], ['taskwire'])) sessions.push(await session(kind, n, rep, settings));
    }
  }
  const rows: Row[] = [];
  for (const n of settings.ns) {
    const of = (kind: ServerKind, pick: (s: Session) => number) => sessions.filter((s) => s.n === n && s.kind === kind).map(pick);
    const pair = (scenario: string, figure: string, unit: string, pick: (s: Session) => number, target?: Target): Row => ({
      scenario, figure: `${figure}, N=${fmt(n)}`, unit, tw: of('taskwire', pick), bare: of('bare', pick), bareName: 'socket.io', ...(target ? { target } : {}),
    });
    const at5k = n === 5_000 ? {} : { notApplicable: 'N≠5,000' };
    const s3Target: Target = { text: '≤ 1.3 × bare at N=5,000', kind: 'ratio-at-most', limit: 1.3, ...at5k };
    const s3BurstTarget: Target = { text: '≤ 1.0 × bare at N=5,000', kind: 'ratio-at-most', limit: 1.0, ...at5k };
    const s5Target: Target = { text: '≤ 1.5 × bare at N=5,000', kind: 'ratio-at-most', limit: 1.5, ...at5k };
    const s6Target: Target = { text: '≤ 1.5 × bare', kind: 'ratio-at-most', limit: 1.5 };
    rows.push(
      pair('S3 fan-out', `paced ×${pacedWrites(settings)} 5/s p50`, 'ms', (s) => s.s3.pacedP50),
      pair('S3 fan-out', `paced ×${pacedWrites(settings)} 5/s p99`, 'ms', (s) => s.s3.pacedP99, s3Target),
      pair('S3 fan-out', `burst ×${settings.burst} p50`, 'ms', (s) => s.s3.burstP50),
      pair('S3 fan-out', `burst ×${settings.burst} p99`, 'ms', (s) => s.s3.burstP99, s3BurstTarget),
      pair('S3 fan-out', 'burst deliveries', 'msg/s', (s) => s.s3.burstDeliveriesPerSecond),
      pair('S3 fan-out', 'server CPU per paced write', 'ms', (s) => s.s3.pacedCpuMsPerWrite),
      pair('S3 fan-out', 'server CPU per burst write', 'ms', (s) => s.s3.burstCpuMsPerWrite),
      pair('S3 fan-out', 'connect+subscribe all', 'ms', (s) => s.connectMs),
      pair('S5 reconnect', `catch up ${settings.missed} missed`, 'ms', (s) => (s.s5.timedOut || s.s5.failed > 0 ? Number.NaN : s.s5.ms), s5Target),
      pair('S5 reconnect', 'listen-queue overflows', 'count', (s) => s.s5.listenOverflows ?? Number.NaN),
      pair('S5 reconnect', 'server CPU in the storm', 'ms', (s) => s.s5.serverCpuMs),
      pair('S5 reconnect', 'clients CPU in the storm', 'ms', (s) => s.s5.clientsCpuMs),
      pair('S5 reconnect', 'clients caught up', '%', (s) => (100 * s.s5.caught) / s.s5.n),
      pair('S6 memory', 'RSS per client', 'KB', (s) => s.s6.rssPerClientKb, s6Target),
      pair('S6 memory', 'heap per client', 'KB', (s) => s.s6.heapPerClientKb, s6Target),
    );
  }
  return { rows, details: { sessions } };
}
