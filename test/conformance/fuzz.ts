// Runs schemathesis with every check over /api/openapi.json against a server
// started here on a scratch SQLite file, with a signed-in user and some data to
// find. A fixed seed and example budget make runs repeatable; `npm run
// conformance -- --max-examples 200` searches harder. Operations that end the
// caller's own session are left out, or every later request would run without
// credentials. Constraints JSON Schema cannot state are extensions in the
// document, taught to schemathesis by hooks.py.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';
import { startServer } from '../../core/server.js';
import { makeTempDir } from '../support/tmp.js';

export const SCHEMATHESIS_VERSION = '4.32.5';
const HERE = dirname(fileURLToPath(import.meta.url));
/** Where .ci/run installs it: a virtual environment of its own, so the pinned version is the one that runs. */
const LOCAL_INSTALL = resolve(HERE, '../../.cache/schemathesis/bin/st');
const EXCLUDED_PATHS = ['/api/auth/logout'];
const DEFAULTS = ['--seed', '1', '--max-examples', '10'];

/** The schemathesis executable: the project's own install, else `st` on PATH; null when there is neither. */
export function findSchemathesis(): string | null {
  if (existsSync(LOCAL_INSTALL)) return LOCAL_INSTALL;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'st'))) return join(dir, 'st');
  }
  return null;
}

async function post(url: string, token: string | null, body: unknown): Promise<Record<string, unknown>> {
  const reply = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!reply.ok) throw new Error(`${url}: ${reply.status} ${await reply.text()}`);
  return (await reply.json()) as Record<string, unknown>;
}

export interface ConformanceRun {
  status: number;
  /** What schemathesis printed, when collected. */
  output: string;
}

/** `given` are schemathesis options that replace or add to the defaults; `output` inherit prints as it goes. */
export async function runConformance(given: string[], output: 'inherit' | 'collect'): Promise<ConformanceRun> {
  const executable = findSchemathesis();
  if (!executable) throw new Error(`schemathesis is not installed: pip install schemathesis==${SCHEMATHESIS_VERSION}`);
  // Private webhook targets are allowed: this machine has no DNS, so hooks.py points generated URLs at loopback.
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: makeTempDir('tw-conformance'), LOG_LEVEL: 'silent', REGISTRATION: 'open', WEBHOOK_ALLOW_PRIVATE: 'true' });
  const server = await startServer(config, createLogger('silent'));
  try {
    const { token } = (await post(`${server.url}/api/auth/register`, null, { email: 'fuzz@example.test', name: 'Fuzz', password: 'correct horse battery' })) as { token: string };
    const project = await post(`${server.url}/api/projects`, token, { name: 'Fuzzed' });
    for (const title of ['one', 'two', 'three']) await post(`${server.url}/api/projects/${String(project.id)}/tasks`, token, { title });
    const args = [
      'run', `${server.url}/api/openapi.json`,
      '--checks', 'all',
      '--phases', 'examples,coverage,fuzzing',
      // One worker: with two, CPython 3.11 sometimes fails inside Hypothesis ("AST constructor recursion depth mismatch").
      '--workers', '1',
      '-H', `Authorization: Bearer ${token}`,
      ...EXCLUDED_PATHS.flatMap((path) => ['--exclude-path', path]),
      ...DEFAULTS.filter((arg, i) => (i % 2 === 0 ? !given.includes(arg) : !given.includes(DEFAULTS[i - 1]!))),
      ...given,
    ];
    const env = { ...process.env, NO_COLOR: '1', SCHEMATHESIS_HOOKS: 'hooks', PYTHONPATH: [HERE, process.env.PYTHONPATH].filter(Boolean).join(delimiter) };
    // Asynchronously: the server answers on this very event loop.
    return await new Promise<ConformanceRun>((resolvePromise, reject) => {
      const child = spawn(executable, args, { stdio: output === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'], env });
      let printed = '';
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (printed += chunk));
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (printed += chunk));
      child.once('error', (error) => reject(new Error(`schemathesis could not run (${error.message})`)));
      child.once('close', (code) => resolvePromise({ status: code ?? 1, output: printed }));
    });
  } finally {
    await server.stop(1000);
  }
}
