// The child side of the bench's IPC: requests {id, op, args} from the parent,
// answered with {id, ok, result | error}. Every child answers "now" (for the
// clock offset), "hrtimeUs" (for profile phases) and "memory" (GC first, then
// process.memoryUsage()).

import { setTimeout as sleep } from 'node:timers/promises';
import { now } from './clock.js';

export type Handler = (args: unknown) => unknown;

export interface MemorySample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

/** Two full collections with a pause between (finalizers, weak callbacks), then the numbers. */
export async function memoryAfterGc(): Promise<MemorySample & { gcRan: boolean }> {
  const gc = globalThis.gc;
  if (gc) {
    gc();
    await sleep(100);
    gc();
    await sleep(20);
  }
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, heapTotal, external, arrayBuffers, gcRan: Boolean(gc) };
}

function send(message: unknown): void {
  if (process.send) process.send(message);
}

export function announceReady(info: Record<string, unknown>): void {
  send({ type: 'ready', nofile: process.env['BENCH_NOFILE'] ?? null, pid: process.pid, ...info });
}

export function serveIpc(handlers: Record<string, Handler>): void {
  if (!process.send) throw new Error('this bench child must be started with an IPC channel');
  // hrtime in microseconds: the time base of V8 CPU profiles, to cut a profile into the bench's phases.
  const all: Record<string, Handler> = { now: () => now(), hrtimeUs: () => Number(process.hrtime.bigint() / 1000n), memory: () => memoryAfterGc(), ...handlers };
  process.on('message', (raw: unknown) => {
    const message = raw as { id?: number; op?: string; args?: unknown };
    if (typeof message.id !== 'number' || typeof message.op !== 'string') return;
    const handler = all[message.op];
    const id = message.id;
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown op ${message.op}`);
        return handler(message.args);
      })
      .then(
        (result) => send({ id, ok: true, result }),
        (error: unknown) => send({ id, ok: false, error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) }),
      );
  });
  // The parent went away: nothing is left to measure for.
  process.on('disconnect', () => process.exit(0));
}
