// A small REST client for the Taskwire API: bearer token, the verified-identity
// JWT as X-Taskwire-User, JSON in and out, and the API's error shape as an
// exception the elements can show.

import type { Me, MemberView, MessageView, Page, PluginView, PresenceState, ProjectPluginView, ProjectView, RoomView, TaskView } from './types.js';

export interface ApiProblem {
  path?: string;
  message?: string;
  current?: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiProblem[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The task a 409 carries as the server's current version, when it carries one. */
export function conflictTask(error: unknown): TaskView | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const current = error.details[0]?.current as TaskView | undefined;
  return current && typeof current === 'object' && typeof current.id === 'string' ? current : null;
}

export interface Credentials {
  server: string;
  token: string | null;
  userToken: string | null;
}

export interface TaskInput {
  title?: string;
  description?: string;
  status?: string;
  assigneeId?: string | null;
  dueAt?: string | null;
  labels?: string[];
}

export class RestClient {
  readonly server: string;
  /** The last ETag and body of each GET, sent back as If-None-Match: a 304 answers with the body kept here. */
  private seen = new Map<string, [string, string]>();

  constructor(readonly credentials: Credentials) {
    this.server = credentials.server.replace(/\/+$/, '');
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const seen = method === 'GET' ? this.seen.get(path) : undefined;
    if (seen) headers['If-None-Match'] = seen[0];
    if (this.credentials.token) headers.Authorization = `Bearer ${this.credentials.token}`;
    if (this.credentials.userToken) headers['X-Taskwire-User'] = this.credentials.userToken;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${this.server}${path}`, { method, headers, body: body === undefined ? null : JSON.stringify(body), mode: 'cors', credentials: 'omit' });
    } catch {
      throw new ApiError(0, 'network', 'The Taskwire server could not be reached.');
    }
    if (response.status === 204) return undefined as T;
    let text = await response.text();
    let ok = response.ok;
    const etag = response.headers.get('ETag');
    if (seen && response.status === 304) [ok, text] = [true, seen[1]];
    // Bounded: a long session of filters and pages starts over rather than growing.
    else if (ok && etag && method === 'GET') {
      if (this.seen.size > 50) this.seen.clear();
      this.seen.set(path, [etag, text]);
    }
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    if (!ok) {
      const error = (parsed as { error?: { code?: string; message?: string; details?: ApiProblem[] } } | null)?.error;
      throw new ApiError(response.status, error?.code ?? 'http_error', error?.message ?? `The server answered ${response.status}.`, error?.details ?? []);
    }
    return parsed as T;
  }

  /** Every page of a `{items, nextCursor}` list. */
  async all<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 100; guard++) {
      const sep = path.includes('?') ? '&' : '?';
      const page: Page<T> = await this.request<Page<T>>('GET', `${path}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      items.push(...page.items);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    return items;
  }

  me = () => this.request<Me>('GET', '/api/me');
  project = (projectId: string) => this.request<ProjectView>('GET', `/api/projects/${enc(projectId)}`);
  /** One page of a column, from its start or (`reverse`) its end, under the board's filter. */
  tasks = (projectId: string, query: Record<string, string | number | undefined>) =>
    this.request<Page<TaskView>>('GET', `/api/projects/${enc(projectId)}/tasks?${search(query)}`);
  columns = async (projectId: string, filter: Record<string, string | undefined>) =>
    (await this.request<Page<{ key: string; count: number }>>('GET', `/api/projects/${enc(projectId)}/columns?${search(filter)}`)).items;
  members = (projectId: string) => this.all<MemberView>(`/api/projects/${enc(projectId)}/members`);
  rooms = async (projectId: string) => (await this.request<Page<RoomView>>('GET', `/api/projects/${enc(projectId)}/rooms`)).items;
  // One page each: the server lists every plugin at once.
  plugins = async () => (await this.request<Page<PluginView>>('GET', '/api/plugins')).items;
  projectPlugins = async (projectId: string) => (await this.request<Page<ProjectPluginView>>('GET', `/api/projects/${enc(projectId)}/plugins`)).items;
  presence = async (projectId: string) =>
    (await this.request<Page<{ userId: string; state: PresenceState }>>('GET', `/api/projects/${enc(projectId)}/presence`)).items;

  createTask = (projectId: string, input: TaskInput & { title: string }) => this.request<TaskView>('POST', `/api/projects/${enc(projectId)}/tasks`, input);
  updateTask = (taskId: string, input: TaskInput, version: number) => this.request<TaskView>('PATCH', `/api/tasks/${enc(taskId)}`, { ...input, version });
  deleteTask = (taskId: string) => this.request<void>('DELETE', `/api/tasks/${enc(taskId)}`);
  moveTask = (taskId: string, move: { status: string; afterId?: string | null; beforeId?: string | null; version: number }) =>
    this.request<TaskView>('POST', `/api/tasks/${enc(taskId)}/move`, move);

  messages = (roomId: string, before: string | null, limit = 50) =>
    this.request<Page<MessageView>>('GET', `/api/rooms/${enc(roomId)}/messages?limit=${limit}${before ? `&before=${enc(before)}` : ''}`);
  postMessage = (roomId: string, text: string) => this.request<MessageView>('POST', `/api/rooms/${enc(roomId)}/messages`, { text });
  editMessage = (messageId: string, text: string) => this.request<MessageView>('PATCH', `/api/messages/${enc(messageId)}`, { text });
  deleteMessage = (messageId: string) => this.request<void>('DELETE', `/api/messages/${enc(messageId)}`);
}

const enc = encodeURIComponent;

/** A query string of the parameters that are set. */
const search = (query: Record<string, string | number | undefined>): string =>
  Object.entries(query)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${key}=${enc(value!)}`)
    .join('&');
