// A real socket.io client for tests, recording what the server sends.

import { io, type Socket } from 'socket.io-client';

export interface ChangeEvent {
  projectId: string;
  seq: number;
  type: string;
  at?: string;
  actorId?: string | null;
  data?: Record<string, unknown>;
}

export interface Ack {
  ok: boolean;
  lastSeq?: number;
  error?: { code: string; message: string; details?: unknown[] };
}

export class TestSocket {
  readonly socket: Socket;
  readonly changes: ChangeEvent[] = [];
  readonly presence: { projectId: string; userId: string; state: string }[] = [];
  readonly events: { name: string; payload: unknown }[] = [];

  constructor(url: string, token: string | null, options: { reconnection?: boolean; extraHeaders?: Record<string, string> } = {}) {
    this.socket = io(url, {
      path: '/socket.io',
      auth: token === null ? {} : { token },
      transports: ['websocket'],
      reconnection: options.reconnection ?? false,
      forceNew: true,
      ...(options.extraHeaders ? { extraHeaders: options.extraHeaders } : {}),
    });
    this.socket.on('change', (change: ChangeEvent) => this.changes.push(change));
    this.socket.on('presence', (p: { projectId: string; userId: string; state: string }) => this.presence.push(p));
    this.socket.onAny((name: string, payload: unknown) => this.events.push({ name, payload }));
  }

  /** Resolves once connected; rejects with the server's connect_error message. */
  connected(timeoutMs = 5000): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('not connected in time')), timeoutMs);
      this.socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      this.socket.once('connect_error', (error: Error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  request(event: string, payload?: unknown, timeoutMs = 5000): Promise<Ack> {
    return this.socket.timeout(timeoutMs).emitWithAck(event, payload) as Promise<Ack>;
  }

  subscribe(projectId: string, since?: number): Promise<Ack> {
    return this.request('subscribe', since === undefined ? { projectId } : { projectId, since });
  }

  seqs(projectId?: string): number[] {
    return this.changes.filter((c) => !projectId || c.projectId === projectId).map((c) => c.seq);
  }

  close(): void {
    this.socket.disconnect();
  }
}

export async function waitFor(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return Date.now() - started;
}

export async function connectSocket(url: string, token: string | null): Promise<TestSocket> {
  const socket = new TestSocket(url, token);
  await socket.connected();
  return socket;
}
