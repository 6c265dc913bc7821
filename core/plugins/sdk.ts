// What plugin authors write against: the module shape and `ctx`. A plugin is
// an ES module whose default export is a PluginDefinition; `definePlugin` only
// gives TypeScript authors the types (the registry checks every plugin at boot
// whether it used it or not). docs/plugins.md is the guide to this file.

import type { MessageView, RoomView, TaskView } from '../presenters/views.js';

export type { MessageView, RoomView, TaskView };

/** What `ctx` lets a plugin do; anything not declared throws PluginPermissionError inside ctx. */
export const PERMISSIONS = ['tasks:read', 'tasks:write', 'messages:write', 'rooms:read', 'members:read'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** A JSON Schema (draft 2020-12, as in OpenAPI 3.1). */
export type JsonSchema = Record<string, unknown>;

/** A change from the project's feed, as webhooks receive it. */
export interface PluginChange {
  seq: number;
  type: string;
  at: string;
  actorId: string | null;
  projectId: string;
  data: Record<string, unknown>;
}

export interface PluginLog {
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

/** Fields `ctx.tasks.update` may change; plugin values go through `setField`. */
export interface TaskUpdate {
  title?: string;
  description?: string;
  status?: string;
  assigneeId?: string | null;
  dueAt?: string | null;
  labels?: string[];
}

export interface TaskListFilter {
  status?: string;
  assigneeId?: string;
  label?: string;
  q?: string;
  /** 1 to 200 (default 50): one page, in board order. */
  limit?: number;
}

/** The statuses a plugin route or command may answer a refusal with. */
export type RefusalStatus = 400 | 403 | 404 | 409;

export interface PluginContext {
  projectId: string;
  /** The project's `general` room, or null when it was deleted. */
  generalRoomId: string | null;
  /** This project's settings, valid against the plugin's settings schema. */
  settings: Record<string, unknown>;
  log: PluginLog;
  tasks: {
    /** By id, or by the task's number in the project (`12` or `'#12'`). */
    get(idOrNumber: string | number): Promise<TaskView>;
    list(filter?: TaskListFilter): Promise<TaskView[]>;
    /** Every matching task, page by page, in board order (`limit` is ignored): for reports over the whole project. */
    each(filter?: TaskListFilter): AsyncIterable<TaskView>;
    /** Applies the change to the task as it is now (no version needed). */
    update(id: string, fields: TaskUpdate): Promise<TaskView>;
    /** Sets this plugin's value in `task.fields[plugin]` (checked against the plugin's field schema); null removes it. */
    setField(id: string, value: unknown): Promise<TaskView>;
  };
  messages: {
    /** Posts as the plugin's bot user; inside onChange, retrying the same change posts the same message only once. */
    post(roomId: string, text: string): Promise<MessageView>;
  };
  rooms: {
    /** The rooms the plugin's bot can read: the project's public rooms. */
    list(): Promise<RoomView[]>;
  };
  members: {
    /** The project's members with their display names (no email addresses). */
    list(): Promise<{ userId: string; name: string; role: 'viewer' | 'member' | 'admin' | 'owner' }[]>;
  };
  /** Ends a command or route with a refusal the caller sees (a 4xx for routes, the message for commands). */
  reject(status: RefusalStatus, message: string): never;
}

export interface ActingPerson {
  userId: string;
  name: string;
  /** Their role in the project (capped for embeds): a command open to readers checks it before writing for them. */
  role: 'viewer' | 'member' | 'admin' | 'owner';
}

/** For commands and routes: who asked (null for an anonymous embedded visitor). */
export interface RequestContext extends PluginContext {
  actor: ActingPerson | null;
}

export interface CommandResult {
  text: string;
  /** Show the reply to the whole channel on Slack and Discord (default: only to the person who typed it). */
  public?: boolean;
}

export interface PluginCommand {
  /** The usage line shown by `/task help`, e.g. `/task time <number> [duration]`. */
  usage: string;
  description: string;
  /** `read`: anyone who can read the project; `write` (default): members and above. */
  access?: 'read' | 'write';
  /** `args`: the words after the command name (quoted runs kept whole). */
  run(ctx: RequestContext, args: string[]): Promise<CommandResult>;
}

export interface PluginRequest {
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
}

export interface PluginRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Under /api/plugins/<name>; must name the project as `:projectId` or a task as `:taskId`. */
  path: string;
  summary?: string;
  /** The least project role that may call it (default: viewer for GET, member otherwise). */
  role?: 'viewer' | 'member' | 'admin';
  /** JSON Schemas the core checks before the handler runs (query values are coerced from strings). */
  query?: JsonSchema;
  body?: JsonSchema;
  /** Returns the JSON body of a 200 answer. */
  handler(ctx: RequestContext, request: PluginRequest): Promise<unknown>;
}

export interface PluginDefinition {
  /** Lower-case letters, digits and dashes; the namespace of its field, routes and panel. */
  name: string;
  /** Semantic version. */
  version: string;
  description?: string;
  permissions?: Permission[];
  /** JSON Schema of the per-project settings (an object); defaults to no settings. */
  settings?: JsonSchema;
  /** Change types, or `<entity>.*`, delivered to onChange. */
  events?: string[];
  onChange?(change: PluginChange, ctx: PluginContext): Promise<void>;
  /** `/task <name> ...` sub-commands; names must not shadow the built-in grammar. */
  commands?: Record<string, PluginCommand>;
  /** The plugin's value in task.fields[name]. */
  field?: { schema: JsonSchema };
  /** A custom element shown in the widget's task editor; `file` is relative to the plugin's module. */
  panel?: { file: string; tag: string; title: string };
  routes?: PluginRoute[];
  /** Time limit of one hook, command or route call (default 10 s, at most 60 s). */
  timeoutMs?: number;
}

/** Types and returns the definition; the registry validates it when the server boots. */
export function definePlugin(definition: PluginDefinition): PluginDefinition {
  return definition;
}
