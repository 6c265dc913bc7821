// The store failing under a running server: the MongoDB-compatible server
// killed and restarted during a burst of writes, and the SQLite file's disk
// filled up or made read-only. Each must give clear 503s while it lasts, lose or
// double nothing in the change feed, and resume by itself.

import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { loadConfig } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';
import { startServer, type RunningServer } from '../../core/server.js';
import { SQLITE_FILE } from '../../core/store/index.js';
import { Client, registerUser, TEST_TUNING, type TestUser } from '../support/api.js';
import { eventually } from '../support/eventually.js';
import { startFerretDB, type FerretDBProcess } from '../support/mongo.js';
import { freePort, serviceMissing } from '../support/services.js';
import { makeTempDir } from '../support/tmp.js';

const mount = (...args: string[]) => execFileSync('mount', args, { stdio: 'pipe' });

interface Running {
  url: string;
  server: RunningServer;
}

async function start(env: Record<string, string>): Promise<Running> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', REGISTRATION: 'open', ...env });
  const server = await startServer(config, createLogger('silent'), TEST_TUNING);
  return { url: server.url, server };
}

async function health(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const reply = await new Client(url).get('/health');
  return { status: reply.status, body: reply.body as Record<string, unknown> };
}

/** The whole feed, checked to be 1..lastSeq with no gap and no repeat; returns the created tasks' ids. */
async function createdInFeed(user: TestUser, projectId: string): Promise<string[]> {
  const seqs: number[] = [];
  const created: string[] = [];
  let since = 0;
  for (;;) {
    const reply = await user.client.get(`/api/projects/${projectId}/changes?since=${since}&limit=500`);
    expect(reply.status).to.equal(200);
    const changes = reply.body.changes as { seq: number; type: string; data: { id?: string } }[];
    for (const change of changes) {
      seqs.push(change.seq);
      if (change.type === 'task.created') created.push(change.data.id!);
    }
    if (changes.length === 0 || since >= reply.body.lastSeq) break;
    since = changes[changes.length - 1]!.seq;
  }
  expect(seqs, 'seq runs 1, 2, 3… with no gap or repeat').to.deep.equal(seqs.map((_, i) => i + 1));
  return created;
}

async function allTasks(user: TestUser, projectId: string): Promise<{ id: string; title: string }[]> {
  const tasks: { id: string; title: string }[] = [];
  let cursor: string | null = null;
  do {
    const reply = await user.client.get(`/api/projects/${projectId}/tasks?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(reply.status).to.equal(200);
    tasks.push(...(reply.body.items as { id: string; title: string }[]));
    cursor = reply.body.nextCursor as string | null;
  } while (cursor);
  return tasks;
}

/** The feed and the tasks agree: one task.created per task, each acknowledged title once, no refused title twice. */
async function expectConsistent(user: TestUser, projectId: string, acknowledged: string[], refused: string[]): Promise<void> {
  const created = await createdInFeed(user, projectId);
  const tasks = await allTasks(user, projectId);
  expect(new Set(created).size, 'no task announced twice').to.equal(created.length);
  expect([...created].sort()).to.deep.equal(tasks.map((t) => t.id).sort());
  const titles = tasks.map((t) => t.title);
  for (const title of acknowledged) expect(titles.filter((t) => t === title), title).to.have.length(1);
  for (const title of refused) expect(titles.filter((t) => t === title).length, title).to.be.at.most(1);
}

describe('store faults: the MongoDB-compatible server killed during a write burst', function () {
  this.timeout(120_000);
  let ferret: FerretDBProcess | null = null;
  let api: Running | undefined;
  let listen = '';
  const dir = makeTempDir('tw-ferret-faults');

  before(async function () {
    this.timeout(300_000);
    listen = `127.0.0.1:${await freePort()}`;
    ferret = await startFerretDB({ dir, listen });
    if (!ferret) serviceMissing(this, 'go (to build the FerretDB test server in test/support/ferretdb)', 'the MongoDB fault test');
    // A short server selection: writes while it is down fail within 1.5 s instead of the default 10 s.
    api = await start({ DATA_DIR: makeTempDir('tw-faults'), MONGODB_URI: `mongodb://${listen}/tw_faults?serverSelectionTimeoutMS=1500` });
  });
  after(async () => {
    await api?.server.stop(1000);
    await ferret?.stop();
  });

  it('answers 503 while it is down, then resumes with no gap or duplicate in the feed', async () => {
    const owner = await registerUser(api!, 'Faye');
    const projectId = (await owner.client.post('/api/projects', { name: 'Under fire' })).body.id as string;
    const acknowledged: string[] = [];
    const refused: string[] = [];
    const other: string[] = [];
    let killed = false;
    // An object, so the writers read the flag the test sets later.
    const burst = { on: true };
    const writer = async (w: number) => {
      for (let i = 0; burst.on; i++) {
        const title = `w${w}-${i}`;
        const reply = await owner.client.post(`/api/projects/${projectId}/tasks`, { title });
        if (reply.status === 201) acknowledged.push(title);
        else if (reply.status === 503 && reply.body?.error?.code === 'unavailable') refused.push(title);
        else other.push(`${title}: ${reply.status} ${JSON.stringify(reply.body)}`);
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    await eventually(async () => acknowledged.length, (n) => n >= 20, 30_000, 'writes before the kill');
    await ferret!.kill();
    killed = true;
    await eventually(async () => refused.length, (n) => n >= 8, 30_000, 'refused writes while down');
    const down = await health(api!.url);
    expect(down.status, JSON.stringify(down.body)).to.equal(503);
    const ackedWhileDown = acknowledged.length;

    ferret = await startFerretDB({ dir, listen });
    await eventually(() => health(api!.url), (h) => h.status === 200, 60_000, '/health after the restart');
    await eventually(async () => acknowledged.length, (n) => n >= ackedWhileDown + 20, 60_000, 'writes after the restart');
    burst.on = false;
    await Promise.all(writers);

    expect(killed).to.equal(true);
    expect(other, 'every refusal is a 503 unavailable').to.deep.equal([]);
    await expectConsistent(owner, projectId, acknowledged, refused);
  });
});

describe('store faults: the SQLite file on a disk that fills up or turns read-only', function () {
  this.timeout(120_000);
  const mountPoint = makeTempDir('tw-disk');
  let mounted = false;
  let api: Running | undefined;

  before(function () {
    // A small tmpfs is a real disk that fills up; mounting needs root, which CI has.
    try {
      mount('-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', mountPoint);
      mounted = true;
    } catch (error) {
      serviceMissing(this, `root, to mount a small tmpfs (${(error as Error).message.split('\n')[0]})`, 'the SQLite disk fault test');
    }
  });
  after(async () => {
    await api?.server.stop(1000).catch(() => undefined);
    if (mounted) execFileSync('umount', ['-l', mountPoint]);
  });

  it('answers 503 saying the disk is full, keeps the file whole and resumes once there is room', async () => {
    api = await start({ DATA_DIR: mountPoint });
    const owner = await registerUser(api, 'Dora');
    const projectId = (await owner.client.post('/api/projects', { name: 'Cramped' })).body.id as string;
    const acknowledged: string[] = [];
    const refused: string[] = [];
    let refusal: { status: number; body: any } | null = null;
    for (let i = 0; i < 1000 && !refusal; i++) {
      const title = `big-${i}`;
      const reply = await owner.client.post(`/api/projects/${projectId}/tasks`, { title, description: `${i} `.padEnd(19_000, 'x') });
      if (reply.status === 201) acknowledged.push(title);
      else {
        refused.push(title);
        refusal = reply;
      }
    }
    expect(refusal, 'the disk filled up').to.not.equal(null);
    expect(refusal!.status, JSON.stringify(refusal!.body)).to.equal(503);
    expect(refusal!.body.error.code).to.equal('unavailable');
    expect(refusal!.body.error.message).to.match(/disk .*full/);
    // Something else takes the last bytes: big writes stay refused (a small one may still fit in the space the
    // write-ahead log already holds).
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${join(mountPoint, 'filler')}`, 'bs=64k'], { stdio: 'ignore' });
    } catch {
      // dd stops with "No space left on device", which is the point.
    }
    for (let i = 0; i < 3; i++) {
      const again = await owner.client.post(`/api/projects/${projectId}/tasks`, { title: `still-full-${i}`, description: 'y'.repeat(19_000) });
      expect(again.status).to.equal(503);
      refused.push(`still-full-${i}`);
    }
    // Reads go on.
    expect((await owner.client.get(`/api/projects/${projectId}/tasks?limit=5`)).status).to.equal(200);

    rmSync(join(mountPoint, 'filler'));
    mount('-o', 'remount,size=64m', mountPoint);
    await eventually(() => health(api!.url), (h) => h.status === 200, 10_000, '/health once there is room');
    const after = await owner.client.post(`/api/projects/${projectId}/tasks`, { title: 'after-room' });
    expect(after.status).to.equal(201);
    acknowledged.push('after-room');
    await expectConsistent(owner, projectId, acknowledged, refused);

    await api.server.stop(1000);
    api = undefined;
    const db = new Database(join(mountPoint, SQLITE_FILE), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).to.equal('ok');
    } finally {
      db.close();
    }
  });

  it('refuses to start on a read-only disk with a clear error, and starts with its data once writable', async () => {
    // Linux lets a file opened for writing stay writable after its disk turns read-only (the remount is refused
    // while it is open), so read-only is met when the server starts.
    await api?.server.stop(1000);
    api = undefined;
    mount('-o', 'remount,ro', mountPoint);
    let failure: Error | null = null;
    try {
      api = await start({ DATA_DIR: mountPoint });
    } catch (error) {
      failure = error as Error;
    }
    expect(failure, 'the start failed').to.be.instanceOf(Error);
    expect(failure!.message).to.match(/read-only/);
    mount('-o', 'remount,rw', mountPoint);
    api = await start({ DATA_DIR: mountPoint });
    const reply = await new Client(api.url).get('/health');
    expect(reply.status).to.equal(200);
  });
});
