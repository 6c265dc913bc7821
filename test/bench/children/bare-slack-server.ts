// Child entry: S8's bare side in one process, as Taskwire serves both from one:
// the bare Koa JSON route of S1 (baselines/koa-json.ts, the same payload) on one
// port and a bare Bolt App answering `/task` (baselines/bolt-command.ts) on
// its own port. Usage: bare-slack-server.ts <payload.json> '<{signingSecret, botToken, slackApiUrl} as JSON>'

import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { startBoltCommandApp, type BoltCommandOptions } from '../baselines/bolt-command.js';
import { koaJsonServer } from '../baselines/koa-json.js';
import { announceReady, serveIpc } from '../lib/ipc-child.js';
import { probeRequests } from '../lib/server-probe.js';

const [payloadFile, optionsJson] = process.argv.slice(2);
if (!payloadFile || !optionsJson) throw new Error("usage: bare-slack-server.ts <payload.json> '<options as JSON>'");
const payload: unknown = JSON.parse(readFileSync(payloadFile, 'utf8'));
const koa = koaJsonServer(payload);
await new Promise<void>((resolve) => koa.listen(0, '127.0.0.1', resolve));
const { port } = koa.address() as AddressInfo;
const bolt = await startBoltCommandApp(JSON.parse(optionsJson) as BoltCommandOptions);

serveIpc({
  ...probeRequests(bolt.server, '/slack/events'),
  stop: async () => {
    koa.closeAllConnections();
    koa.close();
    await bolt.stop().catch(() => undefined);
    setTimeout(() => process.exit(0), 20);
    return true;
  },
});
announceReady({ url: `http://127.0.0.1:${port}`, slackUrl: bolt.url });
