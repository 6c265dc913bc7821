// A small HTTP client for setup and paced writes (127.0.0.1 only), and the
// workspace every Taskwire scenario uses: one user, one project, its tasks.

import { randomUUID } from 'node:crypto';
import { taskInput } from './fixtures.js';

export interface Reply<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export async function call<T = unknown>(method: string, url: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply<T>> {
  const parsed = new URL(url);
  if (parsed.hostname !== '127.0.0.1' && parsed.hostname !== 'localhost') throw new Error(`the bench only targets 127.0.0.1, not ${parsed.hostname}`);
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers['Authorization'] = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const send = () => fetch(url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), signal: AbortSignal.timeout(30_000) });
  let response: Response;
  try {
    response = await send();
  } catch (error) {
    // A kept-alive connection the server closed just as it was reused: a GET can safely go again, once.
    if (method !== 'GET') throw withCause(error);
    response = await send().catch((again: unknown) => Promise.reject(withCause(again)));
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: keep the text.
  }
  return { status: response.status, body: body as T, headers: response.headers };
}

/** fetch's "fetch failed" hides the reason in `cause`; bring it into the message. */
function withCause(error: unknown): unknown {
  if (error instanceof Error && error.cause instanceof Error) error.message = `${error.message}: ${error.cause.message}`;
  return error;
}

function expect<T>(reply: Reply<T>, status: number, what: string): T {
  if (reply.status !== status) throw new Error(`${what}: expected ${status}, got ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`);
  return reply.body;
}

export interface TaskJson {
  id: string;
  version: number;
  title: string;
  [key: string]: unknown;
}

export interface Workspace {
  url: string;
  token: string;
  userId: string;
  projectId: string;
  tasks: TaskJson[];
}

/** Registers a user, creates a project and `taskCount` tasks (a few requests at a time). */
export async function createWorkspace(url: string, taskCount: number): Promise<Workspace> {
  const email = `bench.${randomUUID().slice(0, 8)}@example.test`;
  const registered = expect(await call<{ user: { id: string }; token: string }>('POST', `${url}/api/auth/register`, { body: { email, name: 'Bench User', password: 'correct horse battery staple' } }), 201, 'register');
  const token = registered.token;
  const project = expect(await call<{ id: string }>('POST', `${url}/api/projects`, { token, body: { name: 'Bench project', description: 'Load and fan-out measurements' } }), 201, 'create project');
  const tasks: TaskJson[] = [];
  const lanes = 8;
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < taskCount) {
        const index = next++;
        tasks.push(expect(await call<TaskJson>('POST', `${url}/api/projects/${project.id}/tasks`, { token, body: taskInput(index) }), 201, 'create task'));
      }
    }),
  );
  return { url, token, userId: registered.user.id, projectId: project.id, tasks };
}

/** PATCH a task based on `version` (If-Match); returns the new version, or the current one on a 409. */
export async function patchTask(ws: Workspace, taskId: string, version: number, title: string): Promise<{ status: number; version: number }> {
  const reply = await call<TaskJson & { error?: { details?: { current?: TaskJson }[] } }>('PATCH', `${ws.url}/api/tasks/${taskId}`, {
    token: ws.token,
    body: { title },
    headers: { 'If-Match': `"${version}"` },
  });
  if (reply.status === 200) return { status: 200, version: reply.body.version };
  if (reply.status === 409) return { status: 409, version: reply.body.error?.details?.[0]?.current?.version ?? version };
  throw new Error(`PATCH /api/tasks/${taskId}: ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`);
}

export async function lastSeq(ws: Workspace): Promise<number> {
  const reply = await call<{ lastSeq: number }>('GET', `${ws.url}/api/projects/${ws.projectId}/changes?since=0&limit=1`, { token: ws.token });
  return expect(reply, 200, 'changes').lastSeq;
}
