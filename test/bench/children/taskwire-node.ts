// Child entry: one Taskwire server as children/taskwire-server.ts starts it,
// with more settings from the environment the product reads (MONGODB_URI and
// REDIS_URL for the MongoDB-mode S2 and S11's nodes). DATA_DIR is a temp dir
// of its own. Usage: taskwire-node.ts '<env as JSON>'

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../core/config.js';
import { createLogger } from '../../../core/logger.js';
import { startServer } from '../../../core/server.js';
import { announceReady, serveIpc } from '../lib/ipc-child.js';
import { BENCH_TUNING } from '../lib/tuning.js';

const extra = JSON.parse(process.argv[2] ?? '{}') as Record<string, string>;
const dataDir = mkdtempSync(join(tmpdir(), 'tw-bench-node-'));
// LOG_LEVEL stays at its default (info): the product as it ships. Logs go to the child's log file.
const config = loadConfig({ ...extra, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir });
const server = await startServer(config, createLogger(config.logLevel), BENCH_TUNING);

serveIpc({
  stop: async () => {
    await server.stop(2_000);
    rmSync(dataDir, { recursive: true, force: true });
    setTimeout(() => process.exit(0), 20);
    return true;
  },
});
announceReady({ url: server.url, dataDir, store: server.store.kind, bus: server.bus.kind });
