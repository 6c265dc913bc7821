// The page's sockets: one socket.io connection per (server, token, user-token),
// shared by every live controller of those credentials (one per project) and
// their inbox. Each user borrows it (a lease) and gives it back; it closes when
// the last one lets go (the users keep their own grace periods).

import { io, type Socket } from 'socket.io-client';
import type { Credentials } from './rest.js';

export interface SocketLease {
  socket: Socket;
  release(): void;
}

const sockets = new Map<string, { socket: Socket; users: number }>();

/** What identifies a connection: the server and the credentials, not the project. */
export const credentialsId = (key: Credentials): string => JSON.stringify([key.server.replace(/\/+$/, ''), key.token, key.userToken]);

/** The page's one socket for these credentials, opened on first use. */
export function acquireSocket(key: Credentials): SocketLease {
  const id = credentialsId(key);
  let shared = sockets.get(id);
  if (!shared) {
    const auth: Record<string, string> = {};
    if (key.token) auth.token = key.token;
    if (key.userToken) auth.userToken = key.userToken;
    const socket = io(key.server.replace(/\/+$/, ''), {
      path: '/socket.io',
      auth,
      transports: ['websocket', 'polling'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 3000,
      forceNew: true,
    });
    shared = { socket, users: 0 };
    sockets.set(id, shared);
  }
  const entry = shared;
  entry.users++;
  let held = true;
  return {
    socket: entry.socket,
    release() {
      if (!held) return;
      held = false;
      if (--entry.users > 0) return;
      entry.socket.disconnect();
      if (sockets.get(id) === entry) sockets.delete(id);
    },
  };
}

/**
 * Listens to one event of the page's socket for these credentials (the per-user `membership`, or `connect`)
 * until the returned function is called.
 */
export function listen<T>(key: Credentials, event: string, handler: (payload: T) => void): () => void {
  const lease = acquireSocket(key);
  lease.socket.on(event, handler);
  return () => {
    lease.socket.off(event, handler);
    lease.release();
  };
}
