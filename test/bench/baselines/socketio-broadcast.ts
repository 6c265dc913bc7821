// Bare socket.io: the least a server must do for the same clients. A token
// must be present (not checked against anything); `subscribe {projectId, since?}`
// joins a room, acks {ok, lastSeq} and replays the payloads after `since` from
// memory; POST /emit {room, payload} broadcasts `change` to the room (one
// serialization for all). Same path and events as Taskwire, so the same client code runs against both.

import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';

interface Payload {
  seq: number;
  [key: string]: unknown;
}

const HISTORY = 1_000;

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

export function socketIoBroadcastServer(): { http: HttpServer; io: Server } {
  const history = new Map<string, Payload[]>();
  const emit = async (req: IncomingMessage): Promise<number> => {
    try {
      const { room, payload } = (await readJson(req)) as { room: string; payload: Payload };
      let list = history.get(room);
      if (!list) history.set(room, (list = []));
      list.push(payload);
      if (list.length > HISTORY) list.shift();
      io.to(room).emit('change', payload);
      return 204;
    } catch {
      return 400;
    }
  };
  const http = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/emit') {
      res.writeHead(404).end();
      return;
    }
    void emit(req).then((status) => res.writeHead(status).end());
  });
  http.keepAliveTimeout = 5_000;
  const io = new Server(http, { path: '/socket.io', serveClient: false });
  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    next(typeof token === 'string' && token.length > 0 ? undefined : new Error('unauthenticated'));
  });
  io.on('connection', (socket) => {
    socket.on('subscribe', (payload: unknown, ack: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (r: unknown) => void) : () => {};
      const { projectId, since } = (payload ?? {}) as { projectId?: unknown; since?: unknown };
      if (typeof projectId !== 'string') return reply({ ok: false, error: { code: 'validation_failed', message: 'projectId' } });
      const list = history.get(projectId) ?? [];
      const lastSeq = list.at(-1)?.seq ?? 0;
      void socket.join(projectId);
      reply({ ok: true, lastSeq });
      if (typeof since === 'number') for (const item of list) if (item.seq > since) socket.emit('change', item);
    });
  });
  return { http, io };
}
