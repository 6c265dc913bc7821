// Runs core/main.ts as a real child process, the way `npm start` does, for
// tests of boot, configuration and signals.

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string>;
  output(): { stdout: string; stderr: string };
}

export interface StartedServer extends ServerProcess {
  url: string;
}

/** Spawns the server with exactly `env` (plus PATH and HOME), so no developer variable leaks in. */
export function spawnServer(env: Record<string, string>, entry = 'core/main.ts'): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

/** Spawns the server and waits for the URL it prints once it is live. */
export async function startServerProcess(env: Record<string, string>, timeoutMs = 30_000): Promise<StartedServer> {
  const server = spawnServer({ PORT: '0', HOST: '127.0.0.1', ...env });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within ${timeoutMs} ms: ${JSON.stringify(server.output())}`)), timeoutMs);
    const check = () => {
      const match = /live at (http:\/\/\S+?)\/? /.exec(server.output().stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    server.child.stdout!.on('data', check);
    server.child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code ?? signal} before it was live: ${JSON.stringify(server.output())}`));
    });
  });
  return { ...server, url };
}

/** Spawns `npm run worker`'s entry and waits until it says it runs. */
export async function startWorkerProcess(env: Record<string, string>, timeoutMs = 30_000): Promise<ServerProcess> {
  const worker = spawnServer(env, 'jobs/worker.ts');
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the worker did not start within ${timeoutMs} ms: ${JSON.stringify(worker.output())}`)), timeoutMs);
    worker.child.stdout!.on('data', () => {
      if (worker.output().stdout.includes('worker is running')) {
        clearTimeout(timer);
        resolve();
      }
    });
    worker.child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the worker exited with ${code ?? signal}: ${JSON.stringify(worker.output())}`));
    });
  });
  return worker;
}

/** Makes sure no child outlives a failed test. */
export function killQuietly(server: ServerProcess | undefined): void {
  if (server && server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
}
