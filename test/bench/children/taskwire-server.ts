// Child entry: one Taskwire server (startServer) in its own process, with GC and memory readings over IPC
// instead of an HTTP endpoint. The embedded defaults (SQLite in a temp dir, local bus), or more of the
// environment the product reads given as JSON in argv[2] (MONGODB_URI and REDIS_URL for the MongoDB-mode
// scenarios and S11's nodes). Usage: taskwire-server.ts ['<env as JSON>']

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../core/config.js';
import { createLogger } from '../../../core/logger.js';
import { startServer } from '../../../core/server.js';
import { announceReady, serveIpc } from '../lib/ipc-child.js';
import { BENCH_TUNING } from '../lib/tuning.js';

const extra = JSON.parse(process.argv[2] ?? '{}') as Record<string, string>;
const dataDir = mkdtempSync(join(tmpdir(), 'tw-bench-'));
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
