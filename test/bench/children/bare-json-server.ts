// Child entry: a bare JSON server serving a precomputed payload read from a file.
// Usage: bare-json-server.ts <koa|http> <payload.json>
//        bare-json-server.ts koa-bytes <payload.json> <etag>   (the file's bytes as they are, with that ETag and 304)

import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { koaBytesServer, koaJsonServer } from '../baselines/koa-json.js';
import { nodeHttpJsonServer } from '../baselines/node-http-json.js';
import { announceReady, serveIpc } from '../lib/ipc-child.js';

const [kind, payloadFile, etag] = process.argv.slice(2);
if ((kind !== 'koa' && kind !== 'http' && kind !== 'koa-bytes') || !payloadFile || (kind === 'koa-bytes' && !etag)) {
  throw new Error('usage: bare-json-server.ts <koa|http> <payload.json> | koa-bytes <payload.json> <etag>');
}
const bytes = readFileSync(payloadFile);
const server = kind === 'koa-bytes' ? koaBytesServer(bytes, etag!) : kind === 'koa' ? koaJsonServer(JSON.parse(bytes.toString('utf8'))) : nodeHttpJsonServer(JSON.parse(bytes.toString('utf8')));
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
