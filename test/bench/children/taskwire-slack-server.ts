// Child entry: one Taskwire server as children/taskwire-server.ts starts it
// (startServer, embedded defaults: SQLite in a temp dir, local bus), with more
// settings from the environment the product reads (for S8: the Slack adapter
// over HTTP and open registration). Usage: taskwire-slack-server.ts '<env as JSON>'

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../core/config.js';
import { createLogger } from '../../../core/logger.js';
import { startServer } from '../../../core/server.js';
import { announceReady, serveIpc } from '../lib/ipc-child.js';
import { probeRequests } from '../lib/server-probe.js';
import { BENCH_TUNING } from '../lib/tuning.js';

const extra = JSON.parse(process.argv[2] ?? '{}') as Record<string, string>;
const dataDir = mkdtempSync(join(tmpdir(), 'tw-bench-slack-'));
// LOG_LEVEL stays at its default (info): the product as it ships. Logs go to the child's log file.
const config = loadConfig({ ...extra, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir });
const server = await startServer(config, createLogger(config.logLevel), BENCH_TUNING);

serveIpc({
  ...probeRequests(server.http, '/slack/events'),
  stop: async () => {
    await server.stop(2_000);
    rmSync(dataDir, { recursive: true, force: true });
    setTimeout(() => process.exit(0), 20);
    return true;
  },
});
announceReady({ url: server.url, dataDir });
