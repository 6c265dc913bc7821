// Child entry: one Taskwire server (startServer, embedded defaults: SQLite in a
// temp dir, local bus) in its own process, with GC and memory readings over IPC
// instead of an HTTP endpoint.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../core/config.js';
import { createLogger } from '../../../core/logger.js';
import { startServer } from '../../../core/server.js';
import { announceReady, serveIpc } from '../lib/ipc-child.js';
import { BENCH_TUNING } from '../lib/tuning.js';

const dataDir = mkdtempSync(join(tmpdir(), 'tw-bench-'));
// LOG_LEVEL stays at its default (info): the product as it ships. Logs go to the child's log file.
const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir });
const server = await startServer(config, createLogger(config.logLevel), BENCH_TUNING);

serveIpc({
  stop: async () => {
    await server.stop(2_000);
    rmSync(dataDir, { recursive: true, force: true });
    setTimeout(() => process.exit(0), 20);
    return true;
  },
});
announceReady({ url: server.url, dataDir });
