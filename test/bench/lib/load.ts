// autocannon, reduced to what the report needs. Throughput counts 2xx answers
// only: req/s = 2xx / duration.

import autocannon from 'autocannon';

export interface LoadResult {
  /** 2xx answers per second. */
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  seconds: number;
}

export async function cannon(options: autocannon.Options): Promise<LoadResult> {
  const url = new URL(options.url);
  if (url.hostname !== '127.0.0.1') throw new Error(`autocannon only targets 127.0.0.1, not ${url.hostname}`);
  const result = await autocannon({ timeout: 10, ...options });
  const statuses: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = stat.count ?? 0;
  const ok = result['2xx'];
  return {
    rps: result.duration > 0 ? ok / result.duration : 0,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: result.duration,
  };
}
