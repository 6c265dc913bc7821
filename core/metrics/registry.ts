// A node's Prometheus metrics behind the Metrics port. Each server gets its own
// Registry (tests run several servers in one process, and prom-client's global
// registry would mix their counts); the process metrics are shared, because
// they describe the process, not the server.

import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Exposition, Metrics } from './ports.js';

export interface QueueDepth {
  waiting: number;
  delayed: number;
  active: number;
  failed: number;
}

export interface MetricSources {
  /** The queue's counts, or null while this node's jobs are starting. */
  queueDepth(): Promise<QueueDepth | null>;
}

const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

let processRegistry: Registry | null = null;

/**
 * collectDefaultMetrics may target any number of registries, but every call leaves a GC observer and an
 * event-loop monitor running for the life of the process; one set per process is enough and does not pile up.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** Read from the queue at each scrape, so it never drifts from what the queue holds. */
function queueJobs(sources: MetricSources): Gauge<'state'> {
  return new Gauge({
    name: 'taskwire_queue_jobs',
    help: 'Jobs in the queue by state; the queue is shared by every node and worker of the instance.',
    labelNames: ['state'] as const,
    registers: [],
    async collect() {
      const depth = await sources.queueDepth().catch(() => null);
      // No series rather than stale ones while the queue cannot be read (a Redis outage, jobs starting).
      this.reset();
      if (!depth) return;
      for (const state of ['waiting', 'delayed', 'active', 'failed'] as const) this.set({ state }, depth[state]);
    },
  });
}

export function createNodeMetrics(sources: MetricSources): Metrics & Exposition {
  const register = new Registry();
  const registers = [register];
  const httpRequests = new Counter({
    name: 'taskwire_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const httpDuration = new Histogram({
    name: 'taskwire_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and route template.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const sockets = new Gauge({ name: 'taskwire_sockets_open', help: 'socket.io connections open on this node.', registers });
  const subscriptions = new Gauge({ name: 'taskwire_socket_subscriptions', help: 'Project feed subscriptions of the sockets on this node.', registers });
  const fanoutLag = new Histogram({
    name: 'taskwire_fanout_lag_seconds',
    help: 'From a change being committed to this node emitting it to sockets (replays excluded).',
    // The catch-up tick runs every second: a change the bus lost lands in the 1-2.5 s buckets.
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const replays = new Histogram({
    name: 'taskwire_feed_replay_changes',
    help: 'Changes sent by one replay (a subscribe with since), up to the feed head at subscribe time.',
    buckets: [0, 1, 10, 50, 100, 500, 1000, 5000, 10000],
    registers,
  });
  register.registerMetric(queueJobs(sources));
  const jobs = new Counter({
    name: 'taskwire_jobs_total',
    help: 'Job runs in this process by job name and outcome: completed, retried (failed, tried again later) or failed (given up).',
    labelNames: ['name', 'outcome'] as const,
    registers,
  });
  const deliveries = new Counter({
    name: 'taskwire_notification_deliveries_total',
    help: 'Delivery attempts by channel (email, slack, discord, webhook) and outcome: sent, retried, failed or skipped.',
    labelNames: ['channel', 'status'] as const,
    registers,
  });
  const adapterErrors = new Counter({
    name: 'taskwire_adapter_errors_total',
    help: 'Failed calls to or from an outside system, by adapter (slack, discord, webhook).',
    labelNames: ['adapter'] as const,
    registers,
  });
  const listCache = new Counter({
    name: 'taskwire_list_cache_requests_total',
    help: 'Conditional list reads (tasks, columns, rooms, messages, members) by outcome: hit (a kept page), miss (made and kept), not_modified (304).',
    labelNames: ['outcome'] as const,
    registers,
  });
  const listCacheBytes = new Gauge({ name: 'taskwire_list_cache_bytes', help: 'Bytes of serialized list pages kept by this node (LIST_CACHE_MB bounds it).', registers });
  const exposed = Registry.merge([processMetrics(), register]);

  return {
    contentType: exposed.contentType,
    render: () => exposed.metrics(),
    httpRequest(method, route, status, seconds) {
      // Any token is a valid method on the wire; unknown ones share one label so a client cannot add series.
      const m = HTTP_METHODS.has(method) ? method : 'OTHER';
      httpRequests.inc({ method: m, route, status: String(status) });
      httpDuration.observe({ method: m, route }, seconds);
    },
    socketOpened: () => sockets.inc(),
    socketClosed: () => sockets.dec(),
    subscriptionOpened: () => subscriptions.inc(),
    subscriptionClosed: () => subscriptions.dec(),
    changeEmitted(committedAt) {
      const lag = (Date.now() - Date.parse(committedAt)) / 1000;
      // Another node's clock may run ahead of ours; a negative lag means "about none".
      if (Number.isFinite(lag)) fanoutLag.observe(Math.max(0, lag));
    },
    replayed: (changes) => replays.observe(changes),
    jobRan: (name, outcome) => jobs.inc({ name, outcome }),
    delivery: (channel, status) => deliveries.inc({ channel, status }),
    adapterError: (adapter) => adapterErrors.inc({ adapter }),
    listCache: (outcome) => listCache.inc({ outcome }),
    listCacheBytes: (bytes) => listCacheBytes.set(bytes),
  };
}
