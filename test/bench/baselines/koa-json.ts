// Bare Koa: one middleware answering GET /api/projects/:id/tasks. No auth, no
// store, no validation: the floor a Koa JSON route stands on.
//
// koaJsonServer(payload): a precomputed object that Koa serializes per request,
// as any JSON route must (S8's bare Bolt process uses this one).
// koaBytesServer(bytes, etag): S1's baseline for Taskwire's kept pages: the same
// bytes Taskwire sent, already serialized, with the same validator headers
// (ETag, Cache-Control, Vary), and 304 without a body when If-None-Match names
// the ETag: what a conditional list costs a Koa app that does nothing else.

import { createServer, type Server } from 'node:http';
import Koa from 'koa';

const TASKS_PATH = /^\/api\/projects\/[^/]+\/tasks$/;

function serve(app: Koa): Server {
  const server = createServer(app.callback());
  server.keepAliveTimeout = 5_000;
  return server;
}

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
  return serve(app);
}

export function koaBytesServer(bytes: Buffer, etag: string): Server {
  const app = new Koa();
  app.silent = true;
  const opaque = etag.replace(/^W\//, '');
  app.use(async (ctx) => {
    if (ctx.method === 'GET' && TASKS_PATH.test(ctx.path)) {
      ctx.set('ETag', etag);
      ctx.set('Cache-Control', 'private, no-cache');
      ctx.vary(['Authorization', 'X-Taskwire-User']);
      const wanted = ctx.get('If-None-Match');
      if (wanted && wanted.split(',').some((tag) => tag.trim().replace(/^W\//, '') === opaque)) {
        ctx.status = 304;
        return;
      }
      ctx.type = 'application/json';
      ctx.body = bytes;
      return;
    }
    ctx.status = 404;
  });
  return serve(app);
}
