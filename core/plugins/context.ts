// `ctx` for one plugin in one project: the public services, called as the
// plugin's own bot user (a member of this project only), each behind the
// permission it needs. Writes go through the same services as an HTTP request,
// so they are authorized, validated and land in the change feed.

import { createHash } from 'node:crypto';
import type { PluginActor } from '../domain/actor.js';
import type { User } from '../domain/entities.js';
import { AppError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { presentMessage, type MessageView, type TaskView } from '../presenters/index.js';
import { StoreDuplicateError } from '../store/errors.js';
import type { ServiceDeps } from '../services/deps.js';
import { checkText, insertMessage } from '../services/messages.js';
import { listMembers } from '../services/members.js';
import { listRooms, roomAccess } from '../services/rooms.js';
import { getTask, listTasks, updateTask, type TaskFields } from '../services/tasks.js';
import { buildUser, insertExternalUser } from '../services/users.js';
import type { LoadedPlugin } from './manifest.js';
import { problemsOf } from './schemas.js';
import type { ActingPerson, Permission, PluginContext, RefusalStatus, RequestContext, TaskListFilter, TaskUpdate } from './sdk.js';

/** A plugin called something its manifest does not allow: a bug in the plugin, refused before anything happens. */
export class PluginPermissionError extends ForbiddenError {
  constructor(plugin: string, permission: Permission) {
    super(`The plugin ${plugin} needs the ${permission} permission for this, and does not declare it.`);
  }
}

export class PluginTimeoutError extends Error {
  constructor(plugin: string, what: string, ms: number) {
    super(`${what} of the plugin ${plugin} did not finish within ${ms} ms`);
    this.name = 'PluginTimeoutError';
  }
}

/** Rejects when `work` takes longer than `ms`; the work itself cannot be stopped, only no longer waited for. */
export async function withinTime<T>(work: Promise<T>, ms: number, plugin: string, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PluginTimeoutError(plugin, what, ms)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

// Per store: tests run several servers in one process.
const botsByStore = new WeakMap<object, Map<string, Promise<User>>>();

/** The plugin's bot user, made on first use: it cannot log in and has no inbox. */
export function pluginBot(deps: ServiceDeps, plugin: string): Promise<User> {
  const externalRef = `plugin:${plugin}`;
  let botIds = botsByStore.get(deps.store);
  if (!botIds) botsByStore.set(deps.store, (botIds = new Map()));
  const cache = botIds;
  let found = cache.get(externalRef);
  if (!found) {
    found = (async () => {
      const existing = await deps.store.users.getByExternalRef(externalRef);
      if (existing) return existing;
      const name = `${plugin.charAt(0).toUpperCase()}${plugin.slice(1).replace(/-/g, ' ')}`;
      const user = buildUser(deps, { email: `plugin-${plugin}-${deps.newId()}@plugins.invalid`, name, passwordHash: null, externalRef });
      return insertExternalUser(deps, { ...user, externalRef });
    })();
    cache.set(externalRef, found);
    found.catch(() => cache.delete(externalRef));
  }
  return found;
}

function refusal(status: RefusalStatus, message: string): AppError {
  switch (status) {
    case 403:
      return new ForbiddenError(message);
    case 404:
      return new NotFoundError(message);
    case 409:
      return new ConflictError(message);
    default:
      return new ValidationError([], message);
  }
}

/** Ids for what a hook writes, derived from the change it handles: a retried delivery writes the same records. */
function idFor(scope: string, n: number): string {
  const hex = createHash('sha256').update(`${scope}|${n}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface ContextOptions {
  deps: ServiceDeps;
  plugin: LoadedPlugin;
  projectId: string;
  settings: Record<string, unknown>;
  /** Set for a hook: the delivery it belongs to, so retried posts are not posted twice. */
  deliveryKey?: string;
}

const MAX_UPDATE_ATTEMPTS = 3;

export async function pluginContext(options: ContextOptions): Promise<PluginContext> {
  const { deps, plugin, projectId } = options;
  const bot = await pluginBot(deps, plugin.name);
  const actor: PluginActor = { kind: 'plugin', plugin: plugin.name, userId: bot.id, projectId };
  const general = await deps.store.rooms.getByName(projectId, 'general');
  const need = (permission: Permission) => {
    if (!plugin.permissions.has(permission)) throw new PluginPermissionError(plugin.name, permission);
  };
  let posts = 0;

  const taskByRef = async (ref: string | number): Promise<TaskView> => {
    if (typeof ref === 'string' && !/^#?\d+$/.test(ref)) return getTask(deps, actor, ref);
    const number = Number(String(ref).replace('#', ''));
    const task = await deps.store.tasks.getByNumber(projectId, number);
    if (!task) throw new NotFoundError(`There is no task #${number} in this project.`);
    return getTask(deps, actor, task.id);
  };

  /** A plugin states what it wants, not an edit of a version it saw: a lost race is retried on the fresh task. */
  const update = async (id: string, fields: TaskFields): Promise<TaskView> => {
    for (let attempt = 1; ; attempt++) {
      const current = await getTask(deps, actor, id);
      try {
        return await updateTask(deps, actor, id, fields, current.version);
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt >= MAX_UPDATE_ATTEMPTS) throw error;
      }
    }
  };

  const log = (level: 'info' | 'warn' | 'error') => (message: string, details: Record<string, unknown> = {}) =>
    deps.logger[level]({ ...details, plugin: plugin.name, projectId }, message);

  return {
    projectId,
    generalRoomId: general?.id ?? null,
    settings: structuredClone(options.settings),
    log: { info: log('info'), warn: log('warn'), error: log('error') },
    tasks: {
      get: async (ref) => {
        need('tasks:read');
        return taskByRef(ref);
      },
      list: async (filter: TaskListFilter = {}) => {
        need('tasks:read');
        const limit = Math.min(Math.max(Math.trunc(filter.limit ?? 50), 1), 200);
        const { status, assigneeId, label, q } = filter;
        return (await listTasks(deps, actor, projectId, { status, assigneeId, label, q }, { limit, cursor: null })).items;
      },
      each: (filter: TaskListFilter = {}) => ({
        async *[Symbol.asyncIterator]() {
          need('tasks:read');
          const { status, assigneeId, label, q } = filter;
          let cursor: string | null = null;
          do {
            const page: { items: TaskView[]; nextCursor: string | null } = await listTasks(deps, actor, projectId, { status, assigneeId, label, q }, { limit: 200, cursor });
            yield* page.items;
            cursor = page.nextCursor;
          } while (cursor);
        },
      }),
      update: async (id, fields: TaskUpdate) => {
        need('tasks:write');
        const { title, description, status, assigneeId, dueAt, labels } = fields;
        return update(id, { title, description, status, assigneeId, dueAt, labels });
      },
      setField: async (id, value) => {
        need('tasks:write');
        if (!plugin.field) throw new ValidationError([], `The plugin ${plugin.name} declares no task field.`);
        if (value !== null) {
          const copy = structuredClone(value);
          if (!plugin.field.check(copy)) throw new ValidationError(problemsOf(plugin.field.check, `fields.${plugin.name}`), `The value does not match the ${plugin.name} field schema.`);
          return update(id, { fields: { [plugin.name]: copy } });
        }
        return update(id, { fields: { [plugin.name]: null } });
      },
    },
    messages: {
      post: async (roomId, text): Promise<MessageView> => {
        need('messages:write');
        const { room } = await roomAccess(deps, actor, roomId, 'message.post');
        const id = options.deliveryKey ? idFor(options.deliveryKey, posts++) : undefined;
        try {
          return await insertMessage(deps, room, bot.id, checkText(text), 'api', id ? { id } : {});
        } catch (error) {
          const earlier = error instanceof StoreDuplicateError && id ? await deps.store.messages.get(id) : null;
          if (earlier) return presentMessage(earlier);
          throw error;
        }
      },
    },
    rooms: {
      list: async () => {
        need('rooms:read');
        return (await listRooms(deps, actor, projectId)).items;
      },
    },
    members: {
      list: async () => {
        need('members:read');
        const people: { userId: string; name: string; role: 'viewer' | 'member' | 'admin' | 'owner' }[] = [];
        let cursor: string | null = null;
        do {
          const page: Awaited<ReturnType<typeof listMembers>> = await listMembers(deps, actor, projectId, { limit: 200, cursor });
          people.push(...page.items.map((m) => ({ userId: m.userId, name: m.name, role: m.role })));
          cursor = page.nextCursor;
        } while (cursor);
        return people;
      },
    },
    reject: (status, message) => {
      throw refusal(status, message);
    },
  };
}

export async function requestContext(options: ContextOptions & { person: ActingPerson | null }): Promise<RequestContext> {
  return { ...(await pluginContext(options)), actor: options.person };
}
