// Child entry: S2's bare baseline (baselines/koa-sqlite-patch.ts: Koa +
// better-sqlite3 + socket.io doing Taskwire's PATCH work and no more), in its
// own process, on a SQLite file in a temp dir seeded with Taskwire's tasks.
// Usage: bare-patch-server.ts <seed.json>

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { barePatchServer, type BarePatchSeed } from '../baselines/koa-sqlite-patch.js';
import { announceReady, serveIpc } from '../lib/ipc-child.js';

const [seedFile] = process.argv.slice(2);
if (!seedFile) throw new Error('usage: bare-patch-server.ts <seed.json>');
const seed = JSON.parse(readFileSync(seedFile, 'utf8')) as BarePatchSeed;
const dir = mkdtempSync(join(tmpdir(), 'tw-bench-bare-patch-'));
const { http, io, close } = barePatchServer(join(dir, 'bare.sqlite'), seed);
await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
const { port } = http.address() as AddressInfo;

serveIpc({
  stop: async () => {
    io.disconnectSockets(true);
    await io.close();
    close();
    rmSync(dir, { recursive: true, force: true });
    setTimeout(() => process.exit(0), 20);
    return true;
  },
});
announceReady({ url: `http://127.0.0.1:${port}` });
