// Checks a plugin module's default export against the SDK's shape and turns it
// into a LoadedPlugin with its schemas compiled. Every problem names the
// plugin, so an operator knows which of PLUGINS to fix.

import { existsSync, statSync } from 'node:fs';
import { dirname, relative, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { z } from 'zod';
import { isKnownPattern } from '../domain/change-types.js';
import { isReservedCommand } from '../domain/commands.js';
import { compileSchema, type Check } from './schemas.js';
import { PERMISSIONS, type JsonSchema, type Permission, type PluginChange, type PluginCommand, type PluginContext, type PluginRoute } from './sdk.js';

export const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_TIMEOUT_MS = 60_000;

export interface LoadedRoute {
  method: PluginRoute['method'];
  /** Under /api/plugins/<name>. */
  path: string;
  summary: string;
  role: 'viewer' | 'member' | 'admin';
  /** Which path parameter says the project: the project itself, or a task in it. */
  scope: 'projectId' | 'taskId';
  querySchema: JsonSchema | null;
  bodySchema: JsonSchema | null;
  checkQuery: Check | null;
  checkBody: Check | null;
  handler: PluginRoute['handler'];
}

export interface LoadedPlugin {
  name: string;
  version: string;
  description: string;
  permissions: ReadonlySet<Permission>;
  settingsSchema: JsonSchema;
  checkSettings: Check;
  events: string[];
  onChange: ((change: PluginChange, ctx: PluginContext) => Promise<void>) | null;
  commands: ReadonlyMap<string, PluginCommand>;
  field: { schema: JsonSchema; check: Check } | null;
  /** The panel's module file on disk. */
  panel: { file: string; tag: string; title: string } | null;
  routes: LoadedRoute[];
  timeoutMs: number;
  /** Where it came from: `built-in` or the PLUGINS entry. */
  source: string;
}

export class PluginLoadError extends Error {
  constructor(readonly plugin: string, problem: string) {
    super(`Plugin ${plugin}: ${problem}`);
    this.name = 'PluginLoadError';
  }
}

const NAME = /^[a-z][a-z0-9-]{1,39}$/;
const COMMAND = /^[a-z][a-z0-9-]{0,31}$/;
// A custom element name: lower case, with a dash, not one of the reserved names (which all start with these).
const TAG = /^[a-z][a-z0-9._-]*-[a-z0-9._-]*$/;
const ROUTE_PATH = /^(\/(:[a-zA-Z][a-zA-Z0-9]*|[a-z0-9][a-z0-9._-]*))+$/;

const fn = (what: string) => z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', { message: `${what} must be a function` });
const schemaObject = z.record(z.string(), z.unknown());

const CommandShape = z.strictObject({
  usage: z.string().min(1).max(200),
  description: z.string().min(1).max(200),
  access: z.enum(['read', 'write']).optional(),
  run: fn('run'),
});

const RouteShape = z.strictObject({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  path: z.string().regex(ROUTE_PATH, 'must be a path like /projects/:projectId/report'),
  summary: z.string().max(200).optional(),
  role: z.enum(['viewer', 'member', 'admin']).optional(),
  query: schemaObject.optional(),
  body: schemaObject.optional(),
  handler: fn('handler'),
});

const DefinitionShape = z.strictObject({
  name: z.string().regex(NAME, 'must be 2 to 40 lower-case letters, digits or dashes, starting with a letter'),
  version: z.string().refine((v) => semver.valid(v) !== null, 'must be a semantic version like 1.0.0'),
  description: z.string().max(300).optional(),
  permissions: z.array(z.enum(PERMISSIONS, { message: `must be one of ${PERMISSIONS.join(', ')}` })).optional(),
  settings: schemaObject.optional(),
  events: z.array(z.string().refine(isKnownPattern, 'is not a known change type or <entity>.* pattern')).optional(),
  onChange: fn('onChange').optional(),
  commands: z.record(z.string().regex(COMMAND, 'command names are 1 to 32 lower-case letters, digits or dashes'), CommandShape).optional(),
  field: z.strictObject({ schema: schemaObject }).optional(),
  panel: z
    .strictObject({ file: z.string().min(1), tag: z.string().regex(TAG, 'must be a custom element name (lower case, with a dash)'), title: z.string().min(1).max(60) })
    .optional(),
  routes: z.array(RouteShape).optional(),
  timeoutMs: z.number().int().min(1).max(MAX_TIMEOUT_MS).optional(),
});

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.');
  return path ? `${path} ${issue.message}` : issue.message;
}

function compile(label: string, what: string, schema: JsonSchema, coerce = false): Check {
  try {
    return compileSchema(schema, { coerce });
  } catch (error) {
    throw new PluginLoadError(label, `${what} is not a valid JSON Schema: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function panelFile(label: string, moduleUrl: string, file: string): string {
  if (!moduleUrl.startsWith('file:')) throw new PluginLoadError(label, 'a panel needs a plugin loaded from a file');
  const folder = dirname(fileURLToPath(moduleUrl));
  const path = fileURLToPath(new URL(file, moduleUrl));
  const inside = relative(folder, path);
  if (inside.startsWith('..') || isAbsolute(inside)) throw new PluginLoadError(label, `panel.file must be inside the plugin's folder (${folder})`);
  if (!existsSync(path) || !statSync(path).isFile()) throw new PluginLoadError(label, `panel.file ${file} does not exist (looked for ${path})`);
  return path;
}

function loadRoute(label: string, route: z.infer<typeof RouteShape>, index: number): LoadedRoute {
  const params = [...route.path.matchAll(/:([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1]!);
  const scope = params.includes('projectId') ? 'projectId' : params.includes('taskId') ? 'taskId' : null;
  if (!scope) throw new PluginLoadError(label, `routes.${index}.path must name the project (:projectId) or a task (:taskId), so the caller's role can be checked`);
  if (new Set(params).size !== params.length) throw new PluginLoadError(label, `routes.${index}.path repeats a parameter`);
  if (route.method === 'GET' && route.body) throw new PluginLoadError(label, `routes.${index} is a GET and cannot take a body`);
  return {
    method: route.method,
    path: route.path,
    summary: route.summary ?? `${route.method} ${route.path}`,
    role: route.role ?? (route.method === 'GET' ? 'viewer' : 'member'),
    scope,
    querySchema: route.query ?? null,
    bodySchema: route.body ?? null,
    checkQuery: route.query ? compile(label, `routes.${index}.query`, route.query, true) : null,
    checkBody: route.body ? compile(label, `routes.${index}.body`, route.body) : null,
    handler: route.handler as PluginRoute['handler'],
  };
}

/** `label` names the plugin in errors before its name is known (the PLUGINS entry). */
export function loadDefinition(value: unknown, moduleUrl: string, source: string): LoadedPlugin {
  const maybeName = typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string' ? (value as { name: string }).name : null;
  const label = maybeName ? `"${maybeName}" (${source})` : `from ${source}`;
  if (typeof value !== 'object' || value === null) throw new PluginLoadError(label, 'the module must default-export the plugin object (see docs/plugins.md)');
  const parsed = DefinitionShape.safeParse(value);
  if (!parsed.success) throw new PluginLoadError(label, parsed.error.issues.map(describeIssue).join('; '));
  const def = parsed.data;

  const settingsSchema = def.settings ?? { type: 'object', additionalProperties: false };
  if (settingsSchema.type !== 'object') throw new PluginLoadError(label, 'settings must be a JSON Schema of type "object"');
  const checkSettings = compile(label, 'settings', settingsSchema);
  if (!checkSettings({})) throw new PluginLoadError(label, 'settings must accept an empty object (give every setting a default or leave it optional), so the plugin can be enabled before it is configured');

  const events = [...new Set(def.events ?? [])];
  if (events.length > 0 && !def.onChange) throw new PluginLoadError(label, 'events are listed but there is no onChange to deliver them to');
  if (def.onChange && events.length === 0) throw new PluginLoadError(label, 'onChange is given but no events are listed');

  const commands = new Map<string, PluginCommand>();
  for (const [name, command] of Object.entries(def.commands ?? {})) {
    if (isReservedCommand(name)) throw new PluginLoadError(label, `the command "${name}" would shadow the built-in /task ${name}`);
    commands.set(name, command as PluginCommand);
  }

  const permissions = new Set(def.permissions ?? []);
  if (def.field && !permissions.has('tasks:write')) throw new PluginLoadError(label, 'a task field needs the tasks:write permission (setField writes it)');
  if (def.panel && !def.field) throw new PluginLoadError(label, 'a panel shows the plugin\'s task field; declare field.schema too');

  return {
    name: def.name,
    version: def.version,
    description: def.description ?? '',
    permissions,
    settingsSchema,
    checkSettings,
    events,
    onChange: (def.onChange as LoadedPlugin['onChange']) ?? null,
    commands,
    field: def.field ? { schema: def.field.schema, check: compile(label, 'field.schema', def.field.schema) } : null,
    panel: def.panel ? { file: panelFile(label, moduleUrl, def.panel.file), tag: def.panel.tag, title: def.panel.title } : null,
    routes: (def.routes ?? []).map((route, i) => loadRoute(label, route, i)),
    timeoutMs: def.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    source,
  };
}
