// A small round-robin reverse proxy on loopback (http-proxy-3), standing in
// for nginx in front of several nodes: HTTP requests and WebSocket upgrades go
// to the targets in turn, with X-Forwarded-For appended. A target that refuses
// a connection is skipped for `failTimeoutMs` (nginx's max_fails=1
// fail_timeout); a refused HTTP request is sent to the next target (nginx's
// proxy_next_upstream error: nothing reached the refused node), while a refused
// upgrade closes the client's socket and the client reconnects, as it would
// through nginx.

import { Agent, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Readable } from 'node:stream';
import { createProxyServer } from 'http-proxy-3';

export interface TestProxy {
  url: string;
  /** The target of every upgrade that reached a node, oldest first. */
  readonly upgrades: string[];
  /** How many HTTP requests each target answered. */
  readonly answered: Map<string, number>;
  close(): Promise<void>;
}

const REFUSED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH']);

export async function startProxy(targets: readonly string[], options: { failTimeoutMs?: number } = {}): Promise<TestProxy> {
  const failTimeoutMs = options.failTimeoutMs ?? 2_000;
  // A fresh connection per request, as nginx does by default: a dead node refuses instead of resetting a pooled socket.
  // X-Forwarded-For gets the client's address appended, like nginx's $proxy_add_x_forwarded_for (TRUST_PROXY=1).
  const proxy = createProxyServer({ agent: new Agent({ keepAlive: false }), xfwd: true });
  const downUntil = new Map<string, number>();
  const upgrades: string[] = [];
  const answered = new Map<string, number>();
  const targetOf = new WeakMap<IncomingMessage, string>();
  let turn = 0;

  /** The next target in turn that is not marked down; every target when all are. */
  const pick = (skip: ReadonlySet<string> = new Set()): string | null => {
    const now = Date.now();
    const candidates = targets.filter((t) => !skip.has(t));
    const up = candidates.filter((t) => (downUntil.get(t) ?? 0) <= now);
    const pool = up.length > 0 ? up : candidates;
    if (pool.length === 0) return null;
    return pool[turn++ % pool.length]!;
  };
  const failed = (target: string, error: Error): boolean => {
    const refused = REFUSED.has((error as NodeJS.ErrnoException).code ?? '');
    if (refused) downUntil.set(target, Date.now() + failTimeoutMs);
    return refused;
  };

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer, tried: Set<string>) => {
    const target = pick(tried);
    if (target === null) {
      res.writeHead(502, { 'Content-Type': 'text/plain' }).end('no node answered');
      return;
    }
    tried.add(target);
    targetOf.set(req, target);
    proxy.web(req, res, { target, buffer: Readable.from([body]) }, (error) => {
      if (failed(target, error) && !res.headersSent) forward(req, res, body, tried);
      else if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' }).end('bad gateway');
      else res.destroy();
    });
  };
  proxy.on('proxyRes', (_proxyRes, req) => {
    const target = targetOf.get(req);
    if (target) answered.set(target, (answered.get(target) ?? 0) + 1);
  });

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    // Buffered so a refused request can be sent again whole.
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => forward(req, res, Buffer.concat(chunks), new Set()));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const target = pick();
    if (target === null) {
      socket.destroy();
      return;
    }
    targetOf.set(req, target);
    proxy.ws(req, socket, head, { target }, (error) => {
      failed(target, error);
    });
  });
  proxy.on('proxyReqWs', (proxyReq, req) => {
    proxyReq.once('upgrade', () => upgrades.push(targetOf.get(req)!));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    upgrades,
    answered,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      proxy.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
