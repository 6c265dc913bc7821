// `npm run conformance`: schemathesis (pip install schemathesis==4.32.5) with
// every check over /api/openapi.json against a server this script starts on a
// scratch SQLite file, with a signed-in admin and some data to find. A fixed
// seed makes runs repeatable; more examples search harder:
//   npm run conformance -- --max-examples 200
// Operations that end the caller's own session are left out, or every later
// request would run without credentials.

import { spawn } from 'node:child_process';
import { loadConfig } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';
import { startServer } from '../../core/server.js';
import { makeTempDir } from '../support/tmp.js';

const EXCLUDED_PATHS = ['/api/auth/logout'];
const DEFAULTS = ['--seed', '1', '--max-examples', '10'];

async function post(url: string, token: string | null, body: unknown): Promise<Record<string, unknown>> {
  const reply = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!reply.ok) throw new Error(`${url}: ${reply.status} ${await reply.text()}`);
  return (await reply.json()) as Record<string, unknown>;
}

const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: makeTempDir('tw-conformance'), LOG_LEVEL: 'silent', REGISTRATION: 'open' });
const server = await startServer(config, createLogger('silent'));
let status = 1;
try {
  const { token } = (await post(`${server.url}/api/auth/register`, null, { email: 'fuzz@example.test', name: 'Fuzz', password: 'correct horse battery' })) as { token: string };
  const project = await post(`${server.url}/api/projects`, token, { name: 'Fuzzed' });
  for (const title of ['one', 'two', 'three']) await post(`${server.url}/api/projects/${String(project.id)}/tasks`, token, { title });
  const given = process.argv.slice(2);
  const args = [
    'run', `${server.url}/api/openapi.json`,
    '--checks', 'all',
    '--phases', 'examples,coverage,fuzzing',
    '--workers', '2',
    '-H', `Authorization: Bearer ${token}`,
    ...EXCLUDED_PATHS.flatMap((path) => ['--exclude-path', path]),
    ...DEFAULTS.filter((arg, i) => (i % 2 === 0 ? !given.includes(arg) : !given.includes(DEFAULTS[i - 1]!))),
    ...given,
  ];
  // Asynchronously: the server answers on this very event loop.
  status = await new Promise<number>((resolve, reject) => {
    const child = spawn('st', args, { stdio: 'inherit' });
    child.once('error', (error) => reject(new Error(`schemathesis could not run (${error.message}); install it with pip install schemathesis==4.32.5`)));
    child.once('exit', (code) => resolve(code ?? 1));
  });
} finally {
  await server.stop(1000);
}
process.exit(status);
