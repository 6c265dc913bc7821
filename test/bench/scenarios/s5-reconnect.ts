// S5: every client disconnects, the server takes `missed` changes, then all
// reconnect at once with `since` = the last seq each saw; the time until every
// client has caught up to the last seq.

import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchChild } from '../lib/child.js';
import { editTitle } from '../lib/fixtures.js';
import { listenOverflows } from '../lib/netstat.js';
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
}

export async function reconnectStorm(target: RealtimeTarget, clients: BenchChild, settings: Settings): Promise<S5Sample> {
  await clients.request('disconnect');
  // Let the server see the sockets go before the changes they will miss.
  await sleep(1_000);
  for (let i = 0; i < settings.missed; i++) await target.write(editTitle(i));
  const seq = await target.lastSeq();
  const before = listenOverflows();
  const result = await clients.request<Omit<S5Sample, 'listenOverflows'>>('reconnect', { seq, batch: settings.batch, timeoutMs: 120_000 }, 150_000);
  const after = listenOverflows();
  return { ...result, listenOverflows: before === null || after === null ? null : after - before };
}
