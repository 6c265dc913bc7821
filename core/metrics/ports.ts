// The Metrics port: what the parts of a node report about their own work, as
// plain events. Only core/metrics/registry.ts turns them into Prometheus
// series, so realtime, jobs and adapters never import prom-client, and a
// process that exposes no /metrics (the worker) simply passes none.

export type JobOutcome = 'completed' | 'failed' | 'retried';

/** What became of one delivery attempt: `retried` failed and will be tried again, `failed` was given up. */
export type DeliveryOutcome = 'sent' | 'failed' | 'retried' | 'skipped';

export interface Metrics {
  /** `route` is the route template (`/api/tasks/:taskId`), never the raw path. */
  httpRequest(method: string, route: string, status: number, seconds: number): void;
  socketOpened(): void;
  socketClosed(): void;
  subscriptionOpened(): void;
  subscriptionClosed(): void;
  /** A change left for sockets on this node; `committedAt` is its ISO commit time. */
  changeEmitted(committedAt: string): void;
  /** A subscribe with `since` finished replaying what the feed held then. */
  replayed(changes: number): void;
  jobRan(name: string, outcome: JobOutcome): void;
  delivery(channel: string, outcome: DeliveryOutcome): void;
  /** A call to or from an outside system failed: `slack`, `discord`, `webhook`. */
  adapterError(adapter: string): void;
  /** A conditional list (core/http/list-cache.ts) answered: from a kept page, by making it, or 304. */
  listCache(outcome: 'hit' | 'miss' | 'not_modified'): void;
  /** The bytes the list cache holds now. */
  listCacheBytes(bytes: number): void;
}

/** Serves the text a scraper reads. */
export interface Exposition {
  readonly contentType: string;
  render(): Promise<string>;
}
