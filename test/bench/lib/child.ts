// The parent side: starts a bench child in its own process (own event loop)
// with a raised open-file limit, talks to it over IPC, and stops it. Every
// child this module started is killed by pid if the bench exits early.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { LOG_DIR, PROFILE_DIR, REPO_ROOT, childEntry } from './paths.js';

// The hard limit may be below 65536 in a sandbox; then take the hard limit. The result is reported.
const LAUNCH = 'ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"; export BENCH_NOFILE="$(ulimit -n)"; exec node "$@"';

export interface ReadyInfo {
  type: 'ready';
  pid: number;
  nofile: string | null;
  url?: string;
  [key: string]: unknown;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const proc of live) if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  });
}

let sequence = 0;

export interface SpawnOptions {
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
  /** Write V8 CPU profiles of this child (one per thread; tsx's loader has its own) into .cache/bench/profiles/<name>/. */
  profileName?: string;
  readyTimeoutMs?: number;
}

export class BenchChild {
  readonly name: string;
  readonly proc: ChildProcess;
  readonly ready: Promise<ReadyInfo>;
  readonly exited: Promise<number | null>;
  readonly logFile: string;
  /** Where this child's CPU profiles go, when it is profiled. */
  readonly profileDir: string | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(name: string, entry: string, args: string[] = [], options: SpawnOptions = {}) {
    installExitHook();
    mkdirSync(LOG_DIR, { recursive: true });
    this.name = name;
    this.logFile = join(LOG_DIR, `${name}-${process.pid}-${++sequence}.log`);
    const log = openSync(this.logFile, 'w');
    const flags = ['--expose-gc', '--import', 'tsx', ...(options.nodeFlags ?? [])];
    if (options.profileName) {
      const dir = join(PROFILE_DIR, options.profileName);
      mkdirSync(dir, { recursive: true });
      this.profileDir = dir;
      flags.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
    }
    this.proc = spawn('bash', ['-c', LAUNCH, `bench-${name}`, ...flags, childEntry(entry), ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', log, log, 'ipc'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    closeSync(log);
    live.add(this.proc);
    this.exited = new Promise((resolve) => {
      this.proc.once('exit', (code) => {
        live.delete(this.proc);
        for (const [, p] of this.pending) {
          clearTimeout(p.timer);
          p.reject(new Error(`${this.name} exited (code ${code}) before answering; see ${this.logFile}`));
        }
        this.pending.clear();
        resolve(code);
      });
    });
    const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
    this.ready = new Promise<ReadyInfo>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} was not ready within ${readyTimeoutMs} ms; see ${this.logFile}`)), readyTimeoutMs);
      this.proc.on('message', (raw: unknown) => {
        const message = raw as { type?: string; id?: number; ok?: boolean; result?: unknown; error?: string };
        if (message.type === 'ready') {
          clearTimeout(timer);
          resolve(message as ReadyInfo);
          return;
        }
        if (typeof message.id !== 'number') return;
        const waiting = this.pending.get(message.id);
        if (!waiting) return;
        this.pending.delete(message.id);
        clearTimeout(waiting.timer);
        if (message.ok) waiting.resolve(message.result);
        else waiting.reject(new Error(`${this.name}: ${message.error ?? 'failed'}`));
      });
      this.proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited (code ${code}) before it was ready; see ${this.logFile}`));
      });
    });
    // A rejection nobody awaited yet must not crash the bench; callers await `ready` themselves.
    this.ready.catch(() => {});
  }

  request<T>(op: string, args?: unknown, timeoutMs = 60_000): Promise<T> {
    if (!this.proc.connected) return Promise.reject(new Error(`${this.name} is not connected`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${op} did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      this.proc.send({ id, op, args });
    });
  }

  /** Asks the child to stop (it exits by itself, writing any CPU profile); kills it by pid after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    await this.request('stop', undefined, graceMs).catch(() => {});
    const killer = setTimeout(() => this.proc.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(killer);
  }
}

/** Starts a child and waits until it says it is ready. */
export async function startChild(name: string, entry: string, args: string[] = [], options: SpawnOptions = {}): Promise<{ child: BenchChild; info: ReadyInfo }> {
  const child = new BenchChild(name, entry, args, options);
  try {
    return { child, info: await child.ready };
  } catch (error) {
    child.proc.kill('SIGKILL');
    throw error;
  }
}
