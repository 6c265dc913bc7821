// One clock for several processes: epoch milliseconds with sub-millisecond
// resolution, plus an offset estimate so a child's timestamps can be compared
// with the parent's.

import { performance } from 'node:perf_hooks';

export const now = (): number => performance.timeOrigin + performance.now();

/**
 * Estimates (child clock − parent clock) from round trips to `ask` (a child's "now"),
 * using the round trip with the smallest delay, as NTP does.
 */
export async function clockOffset(ask: () => Promise<number>, samples = 15): Promise<{ offsetMs: number; rttMs: number }> {
  let best = { offsetMs: 0, rttMs: Number.POSITIVE_INFINITY };
  for (let i = 0; i < samples; i++) {
    const sent = now();
    const theirs = await ask();
    const back = now();
    const rtt = back - sent;
    if (rtt < best.rttMs) best = { offsetMs: theirs - (sent + back) / 2, rttMs: rtt };
  }
  return best;
}
