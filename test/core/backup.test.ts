// npm run backup and npm run restore against a real server process: the backup
// is taken while the server commits task creations 50 at a time, and must be
// one committed snapshot (sound file, every project's feed 1..n with its
// records); restored into a fresh DATA_DIR, a server serves what it holds.

import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { SQLITE_FILE } from '../../core/store/index.js';
import { Client } from '../support/api.js';
import { killQuietly, startServerProcess, type StartedServer } from '../support/server-process.js';
import { makeTempDir } from '../support/tmp.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WRITES = 1_000;
const CONCURRENCY = 50;
const PROJECTS = 3;

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(script: 'backup' | 'restore', args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `core/cli/${script}.ts`, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Task creations, CONCURRENCY in flight, until at least `minimum` are done and `until` has settled. */
async function writeTasks(client: Client, projectIds: string[], minimum: number, until: Promise<unknown>): Promise<number> {
  let started = 0;
  let done = 0;
  const backupRun = { settled: false };
  void until.finally(() => (backupRun.settled = true));
  const worker = async () => {
    while (started < minimum || !backupRun.settled) {
      const n = started++;
      const reply = await client.post(`/api/projects/${projectIds[n % projectIds.length]}/tasks`, { title: `Task ${n}` });
      if (reply.status !== 201) throw new Error(`write ${n}: ${reply.status} ${JSON.stringify(reply.body)}`);
      done++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return done;
}

async function listTaskIds(client: Client, projectId: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await client.get(`/api/projects/${projectId}/tasks?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(page.status).to.equal(200);
    ids.push(...(page.body.items as { id: string }[]).map((t) => t.id));
    cursor = page.body.nextCursor as string | null;
  } while (cursor);
  return ids;
}

describe('npm run backup / npm run restore (SQLite)', function () {
  this.timeout(180_000);
  const servers: StartedServer[] = [];
  const start = async (env: Record<string, string>) => {
    const server = await startServerProcess(env, 60_000);
    servers.push(server);
    return server;
  };

  after(() => servers.forEach(killQuietly));

  it('backs up a consistent snapshot while the server takes 1,000+ concurrent writes, and a server restored from it serves those tasks', async () => {
    const dataDir = makeTempDir('tw-backup-live');
    const live = await start({ DATA_DIR: dataDir, REGISTRATION: 'open' });
    const session = (await new Client(live.url).post('/api/auth/register', { email: 'owner@example.test', name: 'Owner', password: 'correct horse battery' })).body as { token: string };
    const owner = new Client(live.url, session.token);
    const projectIds: string[] = [];
    for (let i = 0; i < PROJECTS; i++) projectIds.push((await owner.post('/api/projects', { name: `Project ${i}` })).body.id as string);

    const file = join(makeTempDir('tw-backup-file'), 'taskwire-backup.sqlite');
    let backupStarted = 0;
    let release!: () => void;
    const kickoff = new Promise<void>((resolve) => (release = resolve));
    // The backup starts once writes are streaming, and the writers keep going until it has finished.
    const backup = kickoff.then(() => {
      backupStarted = Date.now();
      return runCli('backup', [file], { DATA_DIR: dataDir });
    });
    const writesStarted = Date.now();
    const writing = writeTasks(owner, projectIds, WRITES, backup);
    setTimeout(release, 300);
    const [run, written] = await Promise.all([backup, writing]);
    const timings = { writesMs: Date.now() - writesStarted, backupMs: Date.now() - backupStarted, written };
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/^Backed up .* integrity ok, schema version \d+/);
    expect(written).to.be.at.least(WRITES);

    const db = new Database(file, { readonly: true });
    let inBackup = 0;
    try {
      expect(db.pragma('integrity_check', { simple: true })).to.equal('ok');
      for (const projectId of projectIds) {
        const seqs = (db.prepare('SELECT seq FROM changes WHERE project_id = ? ORDER BY seq').all(projectId) as { seq: number }[]).map((r) => r.seq);
        expect(seqs, `project ${projectId}'s feed has no gap`).to.deep.equal(Array.from({ length: seqs.length }, (_, i) => i + 1));
        const feed = db.prepare('SELECT last_seq FROM feeds WHERE scope = ?').get(projectId) as { last_seq: number };
        expect(feed.last_seq, 'the feed counter matches its entries').to.equal(seqs.length);
        const tasks = (db.prepare('SELECT count(*) AS n FROM tasks WHERE project_id = ?').get(projectId) as { n: number }).n;
        const created = (db.prepare("SELECT count(*) AS n FROM changes WHERE project_id = ? AND type = 'task.created'").get(projectId) as { n: number }).n;
        expect(tasks, 'every task.created in the feed has its task, and no task is missing from it').to.equal(created);
        inBackup += tasks;
      }
    } finally {
      db.close();
    }
    // Taken mid-stream: some writes landed before the snapshot, others after it.
    expect(inBackup, JSON.stringify(timings)).to.be.above(0).and.below(written);
    console.log(`      ${written} writes in ${timings.writesMs} ms; the backup (process start to exit) took ${timings.backupMs} ms and holds ${inBackup} tasks`);

    const freshDir = makeTempDir('tw-backup-restored');
    const restore = await runCli('restore', [file], { DATA_DIR: freshDir });
    expect(restore.code, restore.stderr).to.equal(0);
    expect(existsSync(join(freshDir, SQLITE_FILE))).to.equal(true);
    const restored = await start({ DATA_DIR: freshDir });
    // The owner's token is a record in the backup too.
    const again = new Client(restored.url, session.token);
    const backedUp = new Database(file, { readonly: true });
    try {
      for (const projectId of projectIds) {
        const expected = (backedUp.prepare('SELECT id FROM tasks WHERE project_id = ?').all(projectId) as { id: string }[]).map((r) => r.id).sort();
        expect((await listTaskIds(again, projectId)).sort()).to.deep.equal(expected);
      }
    } finally {
      backedUp.close();
    }
    const write = await again.post(`/api/projects/${projectIds[0]}/tasks`, { title: 'After the restore' });
    expect(write.status).to.equal(201);
  });

  it('refuses to restore while a server has the database open, and refuses a file that is not a Taskwire database', async () => {
    const dataDir = makeTempDir('tw-restore-busy');
    const file = join(makeTempDir('tw-restore-file'), 'copy.sqlite');
    const live = await start({ DATA_DIR: dataDir });
    expect((await runCli('backup', [file], { DATA_DIR: dataDir })).code).to.equal(0);
    const refusedBackup = await runCli('backup', [file], { DATA_DIR: dataDir });
    expect(refusedBackup.code).to.equal(2);
    expect(refusedBackup.stderr).to.include('already exists');

    const busy = await runCli('restore', [file], { DATA_DIR: dataDir });
    expect(busy.code).to.equal(2);
    expect(busy.stderr).to.include('is open in another process').and.include('stop it first');
    expect((await fetch(`${live.url}/health`)).status, 'the running server is untouched').to.equal(200);

    const junk = join(makeTempDir('tw-restore-junk'), 'junk.sqlite');
    writeFileSync(junk, 'not a database at all');
    const notDb = await runCli('restore', [junk], { DATA_DIR: makeTempDir('tw-restore-empty') });
    expect(notDb.code).to.equal(2);
    expect(notDb.stderr).to.include('is not a usable Taskwire database');
    const other = join(makeTempDir('tw-restore-other'), 'other.sqlite');
    const foreign = new Database(other);
    foreign.exec('CREATE TABLE notes (body TEXT)');
    foreign.close();
    const notOurs = await runCli('restore', [other], { DATA_DIR: makeTempDir('tw-restore-empty') });
    expect(notOurs.code).to.equal(2);
    expect(notOurs.stderr).to.include('no schema_migrations table');

    const mongo = await runCli('backup', [file], { DATA_DIR: dataDir, MONGODB_URI: 'mongodb://127.0.0.1:1/taskwire' });
    expect(mongo.code).to.equal(2);
    expect(mongo.stderr).to.include('mongodump');

    live.child.kill('SIGTERM');
    expect(await live.exited).to.equal(0);
    const idle = await runCli('restore', [file], { DATA_DIR: dataDir });
    expect(idle.code, idle.stderr).to.equal(0);
    expect(idle.stdout).to.match(/The database it replaced is kept at .*before-restore-/);
  });
});
