import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import Database from 'better-sqlite3';
import mongoose from 'mongoose';
import { Client, startApi, type ApiServer, type StoreKind } from '../support/api.js';

const PASSWORD = 'Plain-Password-Marker-9137';
const NEW_PASSWORD = 'Second-Password-Marker-4410';

/** Every byte the store keeps, as text: SQLite files on disk, or every document of every collection. */
async function rawStoreText(kind: StoreKind, dataDir: string, mongoUri: string | undefined): Promise<string> {
  if (kind === 'sqlite') {
    const files = readdirSync(dataDir).map((f) => readFileSync(join(dataDir, f)).toString('latin1'));
    const db = new Database(join(dataDir, 'taskwire.sqlite'), { readonly: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
      const rows = tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM "${t.name}"`).all()));
      return [...files, ...rows].join('\n');
    } finally {
      db.close();
    }
  }
  const connection = await mongoose.createConnection(mongoUri!).asPromise();
  try {
    const collections = await connection.db!.listCollections().toArray();
    const dumps = await Promise.all(collections.map(async (c) => JSON.stringify(await connection.db!.collection(c.name).find().toArray())));
    return dumps.join('\n');
  } finally {
    await connection.close();
  }
}

for (const kind of ['sqlite', 'mongo'] as const) {
  describe(`Secrets at rest [${kind}]`, function () {
    let api: ApiServer;
    before(async function () {
      this.timeout(600_000);
      api = await startApi(kind, this);
    });
    after(async () => api?.stop());

    it('keeps no plain password, token or embed secret in the store, only hashes and sealed secrets', async () => {
      const anon = new Client(api.url);
      const registered = await anon.post('/api/auth/register', { email: `secret-${kind}@example.test`, name: 'S', password: PASSWORD });
      expect(registered.status).to.equal(201);
      const session = registered.body.token as string;
      const me = anon.as(session);
      const login = (await anon.post('/api/auth/login', { email: `secret-${kind}@example.test`, password: PASSWORD })).body.token as string;
      const apiToken = (await me.post('/api/tokens', { name: 'bot' })).body.token as string;
      const projectId = (await me.post('/api/projects', { name: 'Secret keeping' })).body.id as string;
      const embed = (await me.post(`/api/projects/${projectId}/embed-tokens`, { name: 'sso', origins: ['https://intranet.example'], role: 'member', identity: 'verified' })).body;
      expect(embed.secret).to.be.a('string');
      expect((await me.patch('/api/me', { password: NEW_PASSWORD })).status).to.equal(200);
      // Stopping checkpoints SQLite's WAL, so the main file holds everything that was written.
      await api.stop();
      const raw = await rawStoreText(kind, api.dataDir, api.mongoUri);
      expect(raw.length).to.be.above(100);
      for (const secret of [PASSWORD, NEW_PASSWORD, session, login, apiToken, embed.token as string, embed.secret as string]) {
        expect(raw.includes(secret), `found ${secret.slice(0, 12)}... in the raw store`).to.equal(false);
        // Not even a fragment long enough to matter.
        expect(raw.includes(secret.slice(4, 24)), `found a fragment of ${secret.slice(0, 12)}...`).to.equal(false);
      }
      expect(raw).to.match(/scrypt\$/);
    });
  });
}
