// Bare Koa: one middleware answering GET /api/projects/:id/tasks with a
// precomputed object (Koa serializes it per request, as any JSON route must).
// No auth, no store, no validation: the floor a Koa JSON route stands on.

import { createServer, type Server } from 'node:http';
import Koa from 'koa';

const TASKS_PATH = /^\/api\/projects\/[^/]+\/tasks$/;

export function koaJsonServer(payload: unknown): Server {
  const app = new Koa();
  app.silent = true;
  app.use(async (ctx) => {
    if (ctx.method === 'GET' && TASKS_PATH.test(ctx.path)) {
      ctx.body = payload;
      return;
    }
    ctx.status = 404;
  });
  const server = createServer(app.callback());
  server.keepAliveTimeout = 5_000;
  return server;
}
