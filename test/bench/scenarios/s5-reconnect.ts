// S5: every client disconnects, the server takes `missed` changes, then all
// reconnect at once with `since` = the last seq each saw; the time until every
// client has caught up to the last seq.

import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchChild } from '../lib/child.js';
import { editTitle } from '../lib/fixtures.js';
import { listenOverflows } from '../lib/netstat.js';
import { cpuMs } from '../lib/proc-cpu.js';
import type { RealtimeTarget } from '../lib/realtime-targets.js';
import type { Settings } from '../lib/settings.js';

export interface S5Sample {
  ms: number;
  n: number;
  caught: number;
  failed: number;
  timedOut: boolean;
  errors: string[];
  /** Listen-queue overflows (machine-wide) during the storm; null off Linux. */
  listenOverflows: number | null;
  /** Server CPU (user + system) during the storm, ms; NaN off Linux. */
  serverCpuMs: number;
  /** CPU of the clients' process during the storm, ms: when it is near the storm's length, the clients bound it. */
  clientsCpuMs: number;
}

const cpu = (pid: number | undefined): number | null => (pid === undefined ? null : cpuMs(pid));
const used = (from: number | null, to: number | null): number => (from === null || to === null ? Number.NaN : to - from);

export async function reconnectStorm(target: RealtimeTarget, clients: BenchChild, settings: Settings): Promise<S5Sample> {
  await clients.request('disconnect');
  // Let the server see the sockets go before the changes they will miss.
  await sleep(1_000);
  for (let i = 0; i < settings.missed; i++) await target.write(editTitle(i));
  const seq = await target.lastSeq();
  const [server, client] = [target.child.proc.pid, clients.proc.pid];
  const before = listenOverflows();
  const [serverBefore, clientsBefore] = [cpu(server), cpu(client)];
  const result = await clients.request<Omit<S5Sample, 'listenOverflows' | 'serverCpuMs' | 'clientsCpuMs'>>('reconnect', { seq, batch: settings.batch, timeoutMs: 120_000 }, 150_000);
  const [serverAfter, clientsAfter] = [cpu(server), cpu(client)];
  const after = listenOverflows();
  return {
    ...result,
    listenOverflows: before === null || after === null ? null : after - before,
    serverCpuMs: used(serverBefore, serverAfter),
    clientsCpuMs: used(clientsBefore, clientsAfter),
  };
}
