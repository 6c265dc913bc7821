// Child entry: the bare socket.io broadcast server, in its own process, with
// GC and memory readings over IPC like the Taskwire child.

import type { AddressInfo } from 'node:net';
import { socketIoBroadcastServer } from '../baselines/socketio-broadcast.js';
import { announceReady, serveIpc } from '../lib/ipc-child.js';

const { http, io } = socketIoBroadcastServer();
await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
const { port } = http.address() as AddressInfo;

serveIpc({
  stop: async () => {
    io.disconnectSockets(true);
    await io.close();
    setTimeout(() => process.exit(0), 20);
    return true;
  },
});
announceReady({ url: `http://127.0.0.1:${port}` });
