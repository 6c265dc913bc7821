// S6: the server's RSS and heap per connected, subscribed client, after GC:
// (after connecting N − before) / N, both read in the server child over IPC.

import type { MemorySample } from '../lib/ipc-child.js';

export interface S6Sample {
  rssPerClientKb: number;
  heapPerClientKb: number;
  before: MemorySample;
  after: MemorySample;
}

export function perClient(before: MemorySample, after: MemorySample, n: number): S6Sample {
  return { rssPerClientKb: (after.rss - before.rss) / n / 1024, heapPerClientKb: (after.heapUsed - before.heapUsed) / n / 1024, before, after };
}
