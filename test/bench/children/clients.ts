// Child entry: N socket.io clients in their own process (they must not share
// the server's event loop). The same code runs against Taskwire and the bare
// socket.io server: connect with auth {token}, `subscribe {projectId, since?}`,
// count `change` events. Writes carry a marker in data.title; for each marker
// this records how many clients got it and when the first and the last did.

import { io, type Socket } from 'socket.io-client';
import { setTimeout as sleep } from 'node:timers/promises';
import { now } from '../lib/clock.js';
import { announceReady, serveIpc } from '../lib/ipc-child.js';
import { MARK_PREFIX, type Mark } from '../lib/marks.js';

interface Client {
  socket: Socket;
  lastSeq: number;
  caught: boolean;
}

interface Target {
  url: string;
  token: string;
  projectId: string;
}

let target: Target | null = null;
let clients: Client[] = [];
const marks = new Map<string, Mark>();
let deliveries = 0;
let lastDeliveryAt = 0;
let catchUp: { seq: number; caught: number; failed: number; n: number; lastAt: number; done: () => void } | null = null;

function onChange(client: Client, payload: { seq?: unknown; data?: { title?: unknown } }): void {
  const at = now();
  deliveries++;
  lastDeliveryAt = at;
  if (typeof payload.seq === 'number' && payload.seq > client.lastSeq) client.lastSeq = payload.seq;
  const title = payload.data?.title;
  if (typeof title === 'string' && title.startsWith(MARK_PREFIX)) {
    const mark = marks.get(title);
    if (mark) {
      mark.count++;
      mark.last = at;
    } else {
      marks.set(title, { count: 1, first: at, last: at, bytes: JSON.stringify(payload).length });
    }
  }
  if (catchUp && !client.caught && client.lastSeq >= catchUp.seq) {
    client.caught = true;
    catchUp.caught++;
    catchUp.lastAt = at;
    if (catchUp.caught + catchUp.failed >= catchUp.n) catchUp.done();
  }
}

function open(t: Target, since: number | undefined, timeoutMs: number): { client: Client; settled: Promise<void> } {
  const socket = io(t.url, { path: '/socket.io', auth: { token: t.token }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: timeoutMs });
  const client: Client = { socket, lastSeq: since ?? 0, caught: false };
  socket.on('change', (payload: { seq?: unknown; data?: { title?: unknown } }) => onChange(client, payload));
  const connected = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('connect timed out')), timeoutMs);
    socket.once('connect_error', (error: Error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  const settled = (async () => {
    await connected;
    const ack = (await socket
      .timeout(timeoutMs)
      .emitWithAck('subscribe', since === undefined ? { projectId: t.projectId } : { projectId: t.projectId, since })) as { ok?: boolean; lastSeq?: number; error?: { code?: string } };
    if (!ack?.ok) throw new Error(`subscribe refused: ${ack?.error?.code ?? 'unknown'}`);
    if (since === undefined && typeof ack.lastSeq === 'number') client.lastSeq = Math.max(client.lastSeq, ack.lastSeq);
  })();
  return { client, settled };
}

function sample(errors: string[], error: unknown): void {
  if (errors.length >= 5) return;
  // engine.io's "websocket error" keeps the transport's reason in `description`.
  const description = (error as { description?: { message?: string; code?: string } } | null)?.description;
  const reason = description ? ` (${description.code ?? ''} ${description.message ?? ''})`.replace('( ', '(') : '';
  errors.push(`${error instanceof Error ? error.message : String(error)}${reason}`);
}

/** N clients in batches: each batch connects and subscribes before the next starts. */
async function connect(args: Target & { n: number; batch: number; timeoutMs: number }) {
  const host = new URL(args.url).hostname;
  if (host !== '127.0.0.1') throw new Error(`the bench clients only connect to 127.0.0.1, not ${host}`);
  target = { url: args.url, token: args.token, projectId: args.projectId };
  const started = now();
  const errors: string[] = [];
  let failed = 0;
  for (let offset = 0; offset < args.n; offset += args.batch) {
    const batch = Array.from({ length: Math.min(args.batch, args.n - offset) }, () => open(target!, undefined, args.timeoutMs));
    const results = await Promise.allSettled(batch.map((b) => b.settled));
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') clients.push(batch[i]!.client);
      else {
        failed++;
        sample(errors, result.reason);
        batch[i]!.client.socket.disconnect();
      }
    });
  }
  return { connected: clients.length, failed, ms: now() - started, errors };
}

function disconnectAll(): { disconnected: number } {
  for (const client of clients) client.socket.disconnect();
  return { disconnected: clients.length };
}

/**
 * The storm: every client comes back at once (created 100 per event-loop turn, not waiting for one
 * another) with `since` = the last seq it saw; resolves when all have seen `seq`, or at the timeout.
 */
async function reconnect(args: { seq: number; batch: number; timeoutMs: number }) {
  if (!target) throw new Error('connect first');
  const t = target;
  const previous = clients;
  clients = [];
  const errors: string[] = [];
  const started = now();
  const state = { seq: args.seq, caught: 0, failed: 0, n: previous.length, lastAt: started, done: () => {} };
  const finished = new Promise<void>((resolve) => {
    state.done = resolve;
  });
  catchUp = state;
  for (let offset = 0; offset < previous.length; offset += args.batch) {
    for (const old of previous.slice(offset, offset + args.batch)) {
      const { client, settled } = open(t, old.lastSeq, args.timeoutMs);
      clients.push(client);
      settled.catch((error: unknown) => {
        client.socket.disconnect();
        // Caught up already (the ack was late, the replay was not): it counts as caught up, not failed.
        if (client.caught) return;
        sample(errors, error);
        state.failed++;
        if (state.caught + state.failed >= state.n) state.done();
      });
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  const timedOut = await Promise.race([finished.then(() => false), sleep(args.timeoutMs).then(() => true)]);
  catchUp = null;
  return { n: state.n, caught: state.caught, failed: state.failed, timedOut, ms: state.lastAt - started, errors };
}

function marksOf(keys: string[]): Record<string, Mark | null> {
  return Object.fromEntries(keys.map((key) => [key, marks.get(key) ?? null]));
}

/** Waits until every marker reached `count` clients (or the timeout); polls every 5 ms. */
async function waitMarks(args: { keys: string[]; count: number; timeoutMs: number }) {
  const deadline = now() + args.timeoutMs;
  const complete = () => args.keys.every((key) => (marks.get(key)?.count ?? 0) >= args.count);
  while (!complete() && now() < deadline) await sleep(5);
  return { complete: complete(), marks: marksOf(args.keys) };
}

serveIpc({
  connect: (args) => connect(args as Target & { n: number; batch: number; timeoutMs: number }),
  disconnect: () => disconnectAll(),
  reconnect: (args) => reconnect(args as { seq: number; batch: number; timeoutMs: number }),
  marks: (args) => marksOf((args as { keys: string[] }).keys),
  waitMarks: (args) => waitMarks(args as { keys: string[]; count: number; timeoutMs: number }),
  deliveries: () => ({ deliveries, lastDeliveryAt }),
  stop: () => {
    disconnectAll();
    setTimeout(() => process.exit(0), 50);
    return true;
  },
});
announceReady({});
