// A MongoDB-compatible server for the mongoose store suites: the server named by
// MONGODB_URI when set, otherwise the embedded FerretDB in test/support/ferretdb
// (no MongoDB server is packaged for our machines). Its binary is built once per
// change of its sources and cached in <repo>/.cache/ferretdb/.

import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from './tmp.js';

export interface MongoServer {
  /** Connection string for database `dbName` on this server. */
  uri(dbName: string): string;
  stop(): Promise<void>;
}

const SOURCE_DIR = fileURLToPath(new URL('./ferretdb/', import.meta.url));
const CACHE_DIR = fileURLToPath(new URL('../../.cache/ferretdb/', import.meta.url));
const SOURCES = ['go.mod', 'go.sum', 'main.go'];
const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;

let shared: Promise<MongoServer | null> | undefined;

/** The one server all suites of this process share; null as for startMongo(). */
export function getMongo(): Promise<MongoServer | null> {
  return (shared ??= startMongo());
}

export async function stopSharedMongo(): Promise<void> {
  const server = await shared?.catch(() => null);
  shared = undefined;
  await server?.stop();
}

/** Null when there is no MONGODB_URI and no `go` to build FerretDB with. */
export async function startMongo(): Promise<MongoServer | null> {
  const external = process.env.MONGODB_URI;
  if (external) return { uri: (db) => withDatabase(external, db), stop: () => Promise.resolve() };
  const binary = await buildFerretDB();
  return binary === null ? null : runFerretDB(binary);
}

/** Path of the FerretDB binary for the current sources, built if needed; null without `go`. */
export async function buildFerretDB(): Promise<string | null> {
  const binary = join(CACHE_DIR, `ferretdb-${sourceHash()}`);
  if (existsSync(binary)) return binary;
  mkdirSync(CACHE_DIR, { recursive: true });
  // Built under another name and renamed, so a concurrent run never executes half a file.
  const partial = `${binary}.${process.pid}.tmp`;
  const started = Date.now();
  try {
    await goBuild(partial, () =>
      console.error(`Building the FerretDB test server into ${binary} (a first build takes a minute or two)...`),
    );
  } catch (err) {
    rmSync(partial, { force: true });
    const failure = err as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === 'ENOENT' && failure.syscall === 'spawn go') return null;
    throw new Error(`go build in ${SOURCE_DIR} failed:\n${failure.stderr || failure.message}`, { cause: err });
  }
  renameSync(partial, binary);
  console.error(`Built FerretDB in ${Math.round((Date.now() - started) / 1000)} s.`);
  return binary;
}

/** `base` (a mongodb:// or mongodb+srv:// URI) pointed at database `dbName`, options kept. */
export function withDatabase(base: string, dbName: string): string {
  // Not `new URL`: it rejects the multi-host form (mongodb://a:1,b:2/).
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(base);
  if (!match) throw new Error('MONGODB_URI must be a mongodb:// or mongodb+srv:// URI');
  return `${match[1]}/${encodeURIComponent(dbName)}${match[2] ?? ''}`;
}

function goBuild(output: string, onStarted: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'go',
      ['build', '-buildvcs=false', '-o', output, '.'],
      { cwd: SOURCE_DIR, maxBuffer: 16 * 1024 * 1024 },
      (err, _stdout, stderr) => (err ? reject(Object.assign(err, { stderr })) : resolve()),
    );
    child.once('spawn', onStarted);
  });
}

function sourceHash(): string {
  const hash = createHash('sha256');
  for (const name of SOURCES) hash.update(`${name}\0`).update(readFileSync(join(SOURCE_DIR, name))).update('\0');
  return hash.digest('hex').slice(0, 16);
}

export interface FerretDBProcess extends MongoServer {
  /** Kills it at once (SIGKILL), as a crash would; resolves once it has exited. */
  kill(): Promise<void>;
}

export interface FerretDBOptions {
  /** Its data folder (a new temporary one by default): a restart on the same folder finds the same data. */
  dir?: string;
  /** host:port to listen on (a free port by default). */
  listen?: string;
}

/** A FerretDB of one's own (fault tests kill and restart it); null without `go`. */
export async function startFerretDB(options: FerretDBOptions = {}): Promise<FerretDBProcess | null> {
  const binary = await buildFerretDB();
  return binary === null ? null : runFerretDB(binary, options);
}

async function runFerretDB(binary: string, options: FerretDBOptions = {}): Promise<FerretDBProcess> {
  // stdin stays an open pipe: FerretDB exits when it closes, so it dies with
  // this process however this process ends, SIGKILL included.
  const args = ['-dir', options.dir ?? makeTempDir('ferretdb'), ...(options.listen ? ['-listen', options.listen] : [])];
  const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.on('error', () => {}); // EPIPE once it has exited is expected.
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const base = await new Promise<string>((resolve, reject) => {
    const fail = (why: string): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`FerretDB (${binary}) ${why}:\n${stderr.trim()}`));
    };
    const timer = setTimeout(() => fail(`printed no ready line within ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    child.once('error', (err) => fail(`could not start: ${err.message}`));
    child.once('exit', (code, signal) => fail(`exited before it was ready (${signal ?? `code ${code}`})`));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const ready = /^ready (mongodb:\/\/\S+)$/.exec(line);
      if (!ready?.[1]) return;
      clearTimeout(timer);
      resolve(ready[1]);
    });
  });

  return {
    uri: (db) => withDatabase(base, db),
    async stop() {
      child.stdin.end();
      const escalate = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(escalate);
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
