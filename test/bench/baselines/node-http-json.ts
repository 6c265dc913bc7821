// Bare node:http: the same route and precomputed object as the Koa baseline,
// JSON.stringify per request, nothing else.

import { createServer, type Server } from 'node:http';

const TASKS_PATH = /^\/api\/projects\/[^/?]+\/tasks(?:\?|$)/;

export function nodeHttpJsonServer(payload: unknown): Server {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && TASKS_PATH.test(req.url ?? '')) {
      const body = JSON.stringify(payload);
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    res.writeHead(404).end();
  });
  server.keepAliveTimeout = 5_000;
  return server;
}
