// Inside a server child: how long the server itself took over each request to
// one path (its 'request' event → the answer handed to the socket), the event
// loop's delay and the GC pauses, per window the parent opens and closes over IPC. Set
// beside the client's timings, it tells time spent before the server saw the
// request (connect, queue, header parse) from time spent handling it.

import type { Server } from 'node:http';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { now } from './clock.js';
import type { Handler } from './ipc-child.js';

export interface ProbedRequest {
  /** The client's port: with the order on that connection, it matches the client's trace of the request. */
  port: number;
  /** Epoch ms (clock.ts) the request event fired. */
  at: number;
  /** The first request on its connection: the connection was accepted for it. */
  first: boolean;
  ms: number;
  status: number;
}

export interface ProbeWindow {
  requests: ProbedRequest[];
  /** Event-loop delay over the window, ms (monitorEventLoopDelay, 10 ms resolution). */
  loopP50: number;
  loopP99: number;
  loopMax: number;
  /** Garbage collections over the window (PerformanceObserver 'gc'): how many, their total and longest pause, ms. */
  gcCount: number;
  gcTotalMs: number;
  gcMaxMs: number;
}

const ms = (ns: number) => Number((ns / 1e6).toFixed(1));

/** Starts probing POSTs to `path` on `server`; returns the IPC handlers probeStart and probeEnd. */
export function probeRequests(server: Server, path: string): Record<string, Handler> {
  let requests: ProbedRequest[] = [];
  const served = new WeakSet<object>();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let gcs: number[] = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcs.push(entry.duration);
  }).observe({ entryTypes: ['gc'] });
  server.on('request', (req, res) => {
    if (req.method !== 'POST' || req.url?.split('?')[0] !== path) return;
    const at = now();
    const started = performance.now();
    const port = req.socket.remotePort ?? 0;
    const first = !served.has(req.socket);
    served.add(req.socket);
    res.once('finish', () => requests.push({ port, at, first, ms: performance.now() - started, status: res.statusCode }));
  });
  return {
    probeStart: () => {
      requests = [];
      gcs = [];
      loop.reset();
      return true;
    },
    probeEnd: (): ProbeWindow => {
      const gcTotal = gcs.reduce((sum, d) => sum + d, 0);
      const window = {
        requests,
        loopP50: ms(loop.percentile(50)),
        loopP99: ms(loop.percentile(99)),
        loopMax: ms(loop.max),
        gcCount: gcs.length,
        gcTotalMs: Number(gcTotal.toFixed(1)),
        gcMaxMs: Number(Math.max(0, ...gcs).toFixed(1)),
      };
      requests = [];
      gcs = [];
      return window;
    },
  };
}
