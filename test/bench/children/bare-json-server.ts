// Child entry: a bare JSON server (koa or http) serving a precomputed payload
// read from a file. Usage: bare-json-server.ts <koa|http> <payload.json>

import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { koaJsonServer } from '../baselines/koa-json.js';
import { nodeHttpJsonServer } from '../baselines/node-http-json.js';
import { announceReady, serveIpc } from '../lib/ipc-child.js';

const [kind, payloadFile] = process.argv.slice(2);
if ((kind !== 'koa' && kind !== 'http') || !payloadFile) throw new Error('usage: bare-json-server.ts <koa|http> <payload.json>');
const payload: unknown = JSON.parse(readFileSync(payloadFile, 'utf8'));
const server = kind === 'koa' ? koaJsonServer(payload) : nodeHttpJsonServer(payload);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;

serveIpc({
  stop: () => {
    server.closeAllConnections();
    server.close();
    setTimeout(() => process.exit(0), 20);
    return true;
  },
});
announceReady({ url: `http://127.0.0.1:${port}` });
