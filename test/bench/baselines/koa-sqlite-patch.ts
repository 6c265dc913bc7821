// The honest floor under S2's PATCH: bare Koa + better-sqlite3 + socket.io doing
// the same work per request as Taskwire's PATCH /api/tasks/:id, and nothing
// more. Per request: @koa/router matches the route, @koa/bodyparser parses the
// JSON body (Taskwire's parser, same options), the bearer token is compared
// with the one token this server knows (no lookup), the title is checked to be
// a non-empty string, then one IMMEDIATE transaction runs one UPDATE with the
// version check (`WHERE id = ? AND version = ?`, the new document built by
// json_set and handed back by RETURNING) and one INSERT into a feed table (seq
// from an in-memory counter: one process, synchronous transactions); after the
// commit the change goes to the project's socket.io room as one broadcast
// (encoded once), the same `change` payload shape as Taskwire's, and the answer
// is the task with its version as ETag. A stale If-Match answers 409 with the
// current task, in Taskwire's error shape. WAL with synchronous=NORMAL, as the
// product. GET routes for the task list and the feed head serve the bench's
// bookkeeping only (never timed). Sockets: a token must be present (not
// checked), `subscribe {projectId}` joins the room and acks {ok, lastSeq}.

import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Database from 'better-sqlite3';
import { createServer, type Server as HttpServer } from 'node:http';
import Koa from 'koa';
import { Server } from 'socket.io';

export interface BarePatchSeed {
  token: string;
  projectId: string;
  actorId: string;
  /** The task documents as Taskwire serves them (same ids, same sizes). */
  tasks: ({ id: string; version: number } & Record<string, unknown>)[];
}

interface ChangeRow {
  seq: number;
  type: string;
  at: string;
  actor_id: string;
  data: string;
}

const IF_MATCH = /^(?:W\/)?"(\d+)"$/;

export function barePatchServer(dbPath: string, seed: BarePatchSeed): { http: HttpServer; io: Server; close(): void } {
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(`
    CREATE TABLE tasks (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, version INTEGER NOT NULL, doc TEXT NOT NULL);
    CREATE TABLE changes (project_id TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL, at TEXT NOT NULL, actor_id TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (project_id, seq));
  `);
  const insertTask = db.prepare('INSERT INTO tasks (id, project_id, version, doc) VALUES (?, ?, ?, ?)');
  db.transaction(() => seed.tasks.forEach((task) => insertTask.run(task.id, seed.projectId, task.version, JSON.stringify(task))))();

  const update = db.prepare<[string, string, string, number], { doc: string; project_id: string }>(
    "UPDATE tasks SET version = version + 1, doc = json_set(doc, '$.title', ?, '$.version', version + 1, '$.updatedAt', ?) WHERE id = ? AND version = ? RETURNING doc, project_id",
  );
  const current = db.prepare<[string], { doc: string }>('SELECT doc FROM tasks WHERE id = ?');
  const appendChange = db.prepare('INSERT INTO changes (project_id, seq, type, at, actor_id, data) VALUES (?, ?, ?, ?, ?, ?)');
  const listTasks = db.prepare<[string, number], { doc: string }>('SELECT doc FROM tasks WHERE project_id = ? ORDER BY id LIMIT ?');
  const changesAfter = db.prepare<[string, number], ChangeRow>('SELECT seq, type, at, actor_id, data FROM changes WHERE project_id = ? AND seq > ? ORDER BY seq LIMIT 500');
  const lastSeqs = new Map<string, number>();
  const lastSeq = (projectId: string) => lastSeqs.get(projectId) ?? 0;

  type Committed = { doc: string; projectId: string; seq: number; at: string; data: unknown } | null;
  const patch = db.transaction((id: string, version: number, title: string): Committed => {
    const at = new Date().toISOString();
    const row = update.get(title, at, id, version);
    if (!row) return null;
    const seq = lastSeq(row.project_id) + 1;
    appendChange.run(row.project_id, seq, 'task.updated', at, seed.actorId, row.doc);
    lastSeqs.set(row.project_id, seq);
    return { doc: row.doc, projectId: row.project_id, seq, at, data: JSON.parse(row.doc) };
  });

  const app = new Koa();
  app.silent = true;
  const router = new Router();
  const json = bodyParser({ enableTypes: ['json'], jsonLimit: 1024 * 1024, jsonStrict: true, encoding: 'utf-8' });
  const authorized = (ctx: Koa.Context) => ctx.get('Authorization') === `Bearer ${seed.token}`;

  router.patch('/api/tasks/:taskId', json, (ctx) => {
    if (!authorized(ctx)) return void (ctx.status = 401);
    const body = (ctx.request as { body?: { title?: unknown } }).body;
    const title = body?.title;
    const version = IF_MATCH.exec(ctx.get('If-Match'))?.[1];
    if (typeof title !== 'string' || title.trim() === '' || title.length > 200 || version === undefined) return void (ctx.status = 400);
    const id = ctx.params['taskId']!;
    const committed = patch.immediate(id, Number(version), title.trim());
    if (!committed) {
      const row = current.get(id);
      if (!row) return void (ctx.status = 404);
      ctx.status = 409;
      ctx.body = { error: { code: 'conflict', message: 'stale', details: [{ current: JSON.parse(row.doc) as unknown }] } };
      return;
    }
    io.to(committed.projectId).emit('change', { projectId: committed.projectId, seq: committed.seq, type: 'task.updated', at: committed.at, actorId: seed.actorId, data: committed.data });
    ctx.set('ETag', `"${(committed.data as { version: number }).version}"`);
    ctx.type = 'application/json';
    ctx.body = committed.doc;
  });
  router.get('/api/projects/:projectId/tasks', (ctx) => {
    if (!authorized(ctx)) return void (ctx.status = 401);
    const limit = Math.min(Number(ctx.query['limit'] ?? 200) || 200, 500);
    ctx.body = { items: listTasks.all(ctx.params['projectId']!, limit).map((row) => JSON.parse(row.doc) as unknown), nextCursor: null };
  });
  router.get('/api/projects/:projectId/changes', (ctx) => {
    if (!authorized(ctx)) return void (ctx.status = 401);
    ctx.body = { items: [], lastSeq: lastSeq(ctx.params['projectId']!) };
  });
  app.use(router.routes());

  const http = createServer(app.callback());
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
      void socket.join(projectId);
      reply({ ok: true, lastSeq: lastSeq(projectId) });
      if (typeof since === 'number') {
        for (const row of changesAfter.all(projectId, since)) {
          socket.emit('change', { projectId, seq: row.seq, type: row.type, at: row.at, actorId: row.actor_id, data: JSON.parse(row.data) as unknown });
        }
      }
    });
  });
  return { http, io, close: () => db.close() };
}
