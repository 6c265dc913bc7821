// S3: N subscribed clients; writes paced at 5/s, then back-to-back; for each
// write, the time from the REST call to the last client receiving it
// (cross-process clocks aligned by the measured offset), and deliveries/s in the burst.
// A full run paces at least PACED_FULL writes, so the p99 is not just the one slowest write.

import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchChild } from '../lib/child.js';
import { now } from '../lib/clock.js';
import { markTitle, type Mark } from '../lib/marks.js';
import { cpuMs } from '../lib/proc-cpu.js';
import type { Phases } from '../lib/phases.js';
import type { RealtimeTarget } from '../lib/realtime-targets.js';
import type { Settings } from '../lib/settings.js';
import { percentile } from '../stats.js';

export interface S3Sample {
  pacedP50: number;
  pacedP99: number;
  burstP50: number;
  burstP99: number;
  burstDeliveriesPerSecond: number;
  /** Writes not received by every client within the wait. */
  incomplete: number;
  payloadBytes: number | null;
  pacedLatencies: number[];
  burstLatencies: number[];
  /** Server CPU (user + system, from /proc) per write in each phase, ms: holds when other work takes the cores. */
  pacedCpuMsPerWrite: number;
  burstCpuMsPerWrite: number;
}

/** CPU ms the server process spent while `work` ran, divided by `writes`; NaN off Linux. */
async function cpuPerWrite<T>(pid: number | undefined, writes: number, work: () => Promise<T>): Promise<{ result: T; perWrite: number }> {
  const before = pid === undefined ? null : cpuMs(pid);
  const result = await work();
  const after = pid === undefined ? null : cpuMs(pid);
  return { result, perWrite: before === null || after === null ? Number.NaN : (after - before) / writes };
}

/** Paced writes of a full run (at 5/s, 20 s); --quick keeps its own count to stay under its time budget. */
export const PACED_FULL = 100;

export const pacedWrites = (settings: Pick<Settings, 'quick' | 'paced'>): number => (settings.quick ? settings.paced : Math.max(settings.paced, PACED_FULL));

async function timed(target: RealtimeTarget, title: string, sends: Map<string, number>): Promise<void> {
  sends.set(title, now());
  await target.write(title);
}

export async function fanOut(target: RealtimeTarget, clients: BenchChild, offsetMs: number, n: number, settings: Settings, run: string, phases: Phases): Promise<S3Sample> {
  const sends = new Map<string, number>();
  const pacedCount = pacedWrites(settings);
  const paced = Array.from({ length: pacedCount }, (_, i) => markTitle(run, i));
  const burst = Array.from({ length: settings.burst }, (_, i) => markTitle(run, pacedCount + i));
  const interval = 1000 / settings.pacedPerSecond;

  const pid = target.child.proc.pid;
  const { result: pacedDone, perWrite: pacedCpu } = await cpuPerWrite(pid, paced.length, () =>
    phases.time('S3 paced', async () => {
      const start = now();
      for (const [i, title] of paced.entries()) {
        const wait = start + i * interval - now();
        if (wait > 0) await sleep(wait);
        await timed(target, title, sends);
      }
      return clients.request<{ complete: boolean; marks: Record<string, Mark | null> }>('waitMarks', { keys: paced, count: n, timeoutMs: 30_000 }, 60_000);
    }),
  );

  const burstStart = now();
  const { result: burstDone, perWrite: burstCpu } = await cpuPerWrite(pid, burst.length, () =>
    phases.time('S3 burst', async () => {
      for (const title of burst) await timed(target, title, sends);
      return clients.request<{ complete: boolean; marks: Record<string, Mark | null> }>('waitMarks', { keys: burst, count: n, timeoutMs: 90_000 }, 120_000);
    }),
  );

  const latency = (marks: Record<string, Mark | null>, keys: string[]) =>
    keys.flatMap((key) => {
      const mark = marks[key];
      return mark && mark.count >= n ? [mark.last - offsetMs - sends.get(key)!] : [];
    });
  const pacedLatencies = latency(pacedDone.marks, paced);
  const burstLatencies = latency(burstDone.marks, burst);
  const burstLast = Math.max(...burst.map((key) => (burstDone.marks[key]?.last ?? Number.NaN) - offsetMs));
  const delivered = burst.reduce((sum, key) => sum + (burstDone.marks[key]?.count ?? 0), 0);
  const first = Object.values(pacedDone.marks).find((m) => m !== null);
  return {
    pacedP50: percentile(pacedLatencies, 50),
    pacedP99: percentile(pacedLatencies, 99),
    burstP50: percentile(burstLatencies, 50),
    burstP99: percentile(burstLatencies, 99),
    burstDeliveriesPerSecond: Number.isFinite(burstLast) ? delivered / ((burstLast - burstStart) / 1000) : Number.NaN,
    incomplete: paced.length - pacedLatencies.length + burst.length - burstLatencies.length,
    payloadBytes: first?.bytes ?? null,
    pacedLatencies,
    burstLatencies,
    pacedCpuMsPerWrite: pacedCpu,
    burstCpuMsPerWrite: burstCpu,
  };
}
