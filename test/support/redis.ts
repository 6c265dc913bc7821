// A throwaway redis-server on a free loopback port, with no persistence. Tests
// kill it to simulate an outage and restart it on the same port, so clients
// holding `url` reconnect to the new process as they would in production.

import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer, type AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { makeTempDir } from './tmp.js';

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** Graceful shutdown; resolves once the process is gone. */
  stop(): Promise<void>;
  /** Sends `signal` (SIGKILL unless told) and returns at once, as a crash would. */
  kill(signal?: NodeJS.Signals): void;
  /** A fresh, empty server on the same port; the old one is killed if still up. */
  restart(): Promise<void>;
}

interface RedisProcess {
  child: ChildProcess;
  exited: Promise<void>;
  output(): string;
}

const READY_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 5_000;

let shared: Promise<RedisServer | null> | undefined;
const running = new Set<ChildProcess>();
let exitHookRegistered = false;

/** The one server all suites of this process share; null when redis-server is not on PATH. */
export function getRedis(): Promise<RedisServer | null> {
  return (shared ??= startRedis());
}

export async function stopSharedRedis(): Promise<void> {
  const server = await shared?.catch(() => null);
  shared = undefined;
  await server?.stop();
}

/** A server of the caller's own; null when redis-server is not on PATH. */
export async function startRedis(): Promise<RedisServer | null> {
  const dir = makeTempDir('redis');
  // Another process may take the port between freePort() and redis binding it.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      const first = await launch(port, dir);
      return first && handle(port, dir, first);
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
}

/** A loopback port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** True when a Redis server on `port` answers PING with +PONG. */
export function pingRedis(port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const finish = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('close', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
  });
}

function handle(port: number, dir: string, first: RedisProcess): RedisServer {
  let current = first;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () => stop(current, 'SIGTERM'),
    kill(signal = 'SIGKILL') {
      current.child.kill(signal);
    },
    async restart() {
      // SIGKILL also ends a server a test has paused with SIGSTOP.
      await stop(current, 'SIGKILL');
      const next = await launch(port, dir);
      if (!next) throw new Error('redis-server is no longer on PATH');
      current = next;
    },
  };
}

async function launch(port: number, dir: string): Promise<RedisProcess | null> {
  const args = ['--save', '', '--appendonly', 'no', '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--loglevel', 'warning'];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    await new Promise((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const proc: RedisProcess = {
    child,
    exited: new Promise((resolve) => child.once('exit', () => resolve())),
    output: captureOutput(child),
  };
  track(child);
  await waitUntilReady(port, proc);
  return proc;
}

async function waitUntilReady(port: number, proc: RedisProcess): Promise<void> {
  let dead = false;
  void proc.exited.then(() => (dead = true));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await pingRedis(port))) {
    if (dead) throw new Error(`redis-server exited before answering on port ${port}:\n${proc.output()}`);
    if (Date.now() > deadline) {
      proc.child.kill('SIGKILL');
      throw new Error(`redis-server did not answer PING on port ${port} within ${READY_TIMEOUT_MS} ms:\n${proc.output()}`);
    }
    await delay(50);
  }
}

async function stop(proc: RedisProcess, signal: NodeJS.Signals): Promise<void> {
  proc.child.kill(signal);
  const escalate = setTimeout(() => proc.child.kill('SIGKILL'), STOP_GRACE_MS);
  await proc.exited;
  clearTimeout(escalate);
}

function track(child: ChildProcess): void {
  if (!exitHookRegistered) {
    exitHookRegistered = true;
    process.on('exit', killRunning);
  }
  running.add(child);
  child.once('exit', () => running.delete(child));
}

// Redis has no parent-death option, so an exiting test run must take it down.
function killRunning(): void {
  for (const child of running) child.kill('SIGKILL');
}

function captureOutput(child: ChildProcess): () => string {
  let text = '';
  const keep = (chunk: Buffer): void => {
    text = (text + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => text.trim();
}
