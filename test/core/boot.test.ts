import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { createSqliteStore } from '../../core/store/sqlite/index.js';
import { SQLITE_FILE } from '../../core/store/index.js';
import { killQuietly, spawnServer, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { getMongo, useService } from '../support/services.js';
import { makeTempDir } from '../support/tmp.js';
import { Client } from '../support/api.js';
import { TestSocket, waitFor } from '../support/socket.js';

describe('Boot, health and shutdown (core/main.ts as a process)', function () {
  this.timeout(60_000);
  let server: ServerProcess | undefined;
  afterEach(() => killQuietly(server));

  it('starts with no environment but a data dir, serves /health on SQLite and creates the database under DATA_DIR', async () => {
    const dataDir = makeTempDir('tw-boot');
    const started = await startServerProcess({ DATA_DIR: dataDir });
    server = started;
    const response = await fetch(`${started.url}/health`);
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ status: 'ok', store: 'sqlite', queue: 'inline', bus: 'local' });
    expect(existsSync(join(dataDir, SQLITE_FILE))).to.equal(true);
    expect(started.output().stdout).to.include(`Taskwire is live at ${started.url}/`);
  });

  it('answers unknown routes with 404 in the error shape and echoes a request id', async () => {
    const started = await startServerProcess({ DATA_DIR: makeTempDir('tw-boot') });
    server = started;
    const response = await fetch(`${started.url}/api/nope`, { headers: { 'X-Request-Id': 'req-12345678' } });
    expect(response.status).to.equal(404);
    expect(response.headers.get('x-request-id')).to.equal('req-12345678');
    const body = (await response.json()) as { error: { code: string; message: string; details: unknown[] } };
    expect(body.error.code).to.equal('not_found');
    expect(body.error.message).to.match(/\S/);
    expect(body.error.details).to.deep.equal([]);
  });

  it('refuses to boot on bad values, naming every bad variable in one message without a stack trace', async () => {
    server = spawnServer({
      PORT: 'abc',
      MONGODB_URI: 'nonsense',
      REDIS_URL: 'http://localhost',
      LOG_LEVEL: 'chatty',
      PUBLIC_URL: 'not a url',
      DISCORD_PUBLIC_KEY: 'xyz',
      SLACK_BOT_TOKEN: 'oops',
      METRICS_TOKEN: 'short',
      TRUST_PROXY: 'many',
      PLUGINS: 'one, two three',
    });
    const code = await server.exited;
    const { stderr, stdout } = server.output();
    expect(code).to.not.equal(0);
    for (const name of ['PORT', 'MONGODB_URI', 'REDIS_URL', 'LOG_LEVEL', 'PUBLIC_URL', 'DISCORD_PUBLIC_KEY', 'SLACK_BOT_TOKEN', 'DISCORD_TOKEN', 'SLACK_SIGNING_SECRET', 'METRICS_TOKEN', 'TRUST_PROXY', 'PLUGINS']) {
      expect(stderr, name).to.include(`- ${name} `);
    }
    expect(stderr.match(/cannot start/g)).to.have.length(1);
    expect(stderr).to.not.match(/\n\s+at /);
    expect(stdout).to.not.include('live at');
  });

  it('on SIGTERM exits 0 within 5 s and leaves one SQLite file that reopens with all data', async () => {
    const dataDir = makeTempDir('tw-term');
    const started = await startServerProcess({ DATA_DIR: dataDir });
    server = started;
    // Data written through the API, by the process that is about to be stopped.
    const path = join(dataDir, SQLITE_FILE);
    const anon = new Client(started.url);
    const session = (await anon.post('/api/auth/register', { email: 'keep@example.test', name: 'Keeper', password: 'correct horse battery' })).body;
    const owner = anon.as(session.token);
    const project = (await owner.post('/api/projects', { name: 'Durable' })).body;
    const task = (await owner.post(`/api/projects/${project.id}/tasks`, { title: 'Survive the restart' })).body;
    const user = { id: session.user.id as string };
    const sentAt = Date.now();
    started.child.kill('SIGTERM');
    const code = await started.exited;
    expect(code).to.equal(0);
    expect(Date.now() - sentAt).to.be.below(5_000);
    // The WAL was checkpointed into the main file.
    expect(!existsSync(`${path}-wal`) || statSync(`${path}-wal`).size === 0).to.equal(true);

    const reopened = createSqliteStore({ path });
    try {
      expect((await reopened.users.get(user.id))?.email).to.equal('keep@example.test');
      expect((await reopened.tasks.get(task.id))?.title).to.equal('Survive the restart');
      expect(await reopened.changes.lastSeq(project.id)).to.equal(2);
    } finally {
      await reopened.close();
    }
  });

  it('on SIGTERM tells connected sockets to reconnect elsewhere, closes them, and still exits 0', async () => {
    const started = await startServerProcess({ DATA_DIR: makeTempDir('tw-term') });
    server = started;
    const anon = new Client(started.url);
    const token = (await anon.post('/api/auth/register', { email: 'sock@example.test', name: 'S', password: 'correct horse battery' })).body.token as string;
    const socket = new TestSocket(started.url, token);
    await socket.connected();
    const reasons: string[] = [];
    socket.socket.on('disconnect', (reason: string) => reasons.push(reason));
    started.child.kill('SIGTERM');
    expect(await started.exited).to.equal(0);
    await waitFor(() => reasons.length > 0, 2000, 'the socket to be closed');
    expect(socket.events.map((e) => e.name)).to.include('shutdown');
    // "transport close" is the reason socket.io clients reconnect from on their own ("io server disconnect" would stop them).
    expect(reasons[0]).to.equal('transport close');
    socket.close();
  });

  it('uses the MongoDB store when MONGODB_URI is set', async function () {
    await useService(this, 'mongo', 'booting on MongoDB');
    const mongo = (await getMongo())!;
    const started = await startServerProcess({ DATA_DIR: makeTempDir('tw-boot'), MONGODB_URI: mongo.uri('tw_boot_test') });
    server = started;
    const response = await fetch(`${started.url}/health`);
    expect(await response.json()).to.deep.include({ status: 'ok', store: 'mongo' });
    started.child.kill('SIGTERM');
    expect(await started.exited).to.equal(0);
  });
});
