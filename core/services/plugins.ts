// Plugins per project: which are enabled, with what settings, and how their
// change hooks are doing. Project admins enable and configure; every reader of
// the project may see which plugins are on (the widget shows their panels), but
// settings and errors only reach admins.

import type { Actor } from '../domain/actor.js';
import type { PluginState } from '../domain/entities.js';
import { canInProject } from '../domain/policies.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { LoadedPlugin } from '../plugins/manifest.js';
import type { PluginRegistry } from '../plugins/registry.js';
import { problemsOf } from '../plugins/schemas.js';
import type { PluginView, ProjectPluginView } from '../presenters/views.js';
import { StoreConflictError, StoreDuplicateError } from '../store/errors.js';
import { projectAccess, requireUser } from './access.js';
import { commit, type ServiceDeps } from './deps.js';

export interface PluginDeps extends ServiceDeps {
  plugins: PluginRegistry;
  /** Wakes the plugin's hook sender for the project (the jobs layer). */
  pluginJobs: { kick(plugin: string, projectId: string): Promise<void> };
}

export const pluginStateId = (plugin: string, projectId: string): string => `${plugin}|${projectId}`;
export const pluginCursorId = (plugin: string, projectId: string): string => `plugin:${plugin}:${projectId}`;

export function presentPlugin(plugin: LoadedPlugin): PluginView {
  return {
    name: plugin.name,
    version: plugin.version,
    description: plugin.description,
    permissions: [...plugin.permissions],
    settingsSchema: plugin.settingsSchema,
    commands: [...plugin.commands].map(([name, c]) => ({ name, usage: c.usage, description: c.description })),
    events: plugin.events,
    fieldSchema: plugin.field?.schema ?? null,
    panel: plugin.panel ? { url: `/plugins/${plugin.name}/panel.js`, tag: plugin.panel.tag, title: plugin.panel.title } : null,
  };
}

export function statusOf(state: PluginState | null): ProjectPluginView['status'] {
  if (!state?.enabled) return 'disabled';
  return state.failingSince ? 'failing' : 'ok';
}

function presentState(plugin: LoadedPlugin, state: PluginState | null, admin: boolean): ProjectPluginView {
  return {
    name: plugin.name,
    enabled: state?.enabled ?? false,
    settings: admin ? structuredClone(state?.settings ?? defaultSettings(plugin)) : null,
    status: statusOf(state),
    lastError: admin ? (state?.lastError ?? null) : null,
    failingSince: state?.failingSince ?? null,
  };
}

function defaultSettings(plugin: LoadedPlugin): Record<string, unknown> {
  const settings = {};
  plugin.checkSettings(settings);
  return settings;
}

function pluginNamed(deps: PluginDeps, name: string): LoadedPlugin {
  const plugin = deps.plugins.get(name);
  if (!plugin) throw new NotFoundError(`There is no plugin called "${name}".`);
  return plugin;
}

/** Every installed plugin, for anyone signed in (plugin developers and the widget read it). */
export function listPlugins(deps: PluginDeps): { items: PluginView[]; nextCursor: null } {
  return { items: deps.plugins.list().map(presentPlugin), nextCursor: null };
}

export async function listProjectPlugins(deps: PluginDeps, actor: Actor, projectId: string): Promise<{ items: ProjectPluginView[]; nextCursor: null }> {
  const { subject } = await projectAccess(deps, actor, projectId, 'project.read');
  const admin = canInProject(subject, 'plugin.manage');
  const states = new Map((await deps.store.pluginStates.listByProject(projectId)).map((s) => [s.name, s]));
  return { items: deps.plugins.list().map((p) => presentState(p, states.get(p.name) ?? null, admin)), nextCursor: null };
}

export async function getProjectPlugin(deps: PluginDeps, actor: Actor, projectId: string, name: string): Promise<ProjectPluginView> {
  const { subject } = await projectAccess(deps, actor, projectId, 'project.read');
  const plugin = pluginNamed(deps, name);
  return presentState(plugin, await deps.store.pluginStates.get(pluginStateId(name, projectId)), canInProject(subject, 'plugin.manage'));
}

/**
 * Enables, disables or configures a plugin in a project (admins). Settings
 * left out stay as they are. A plugin enabled (again) hears the changes made
 * from then on, not the history before it.
 */
export async function configureProjectPlugin(
  deps: PluginDeps,
  actor: Actor,
  projectId: string,
  name: string,
  input: { enabled: boolean; settings?: Record<string, unknown> | undefined },
): Promise<ProjectPluginView> {
  await projectAccess(deps, actor, projectId, 'plugin.manage');
  const userId = requireUser(actor);
  const plugin = pluginNamed(deps, name);
  let settings: Record<string, unknown> | null = null;
  if (input.settings !== undefined) {
    settings = structuredClone(input.settings);
    if (!plugin.checkSettings(settings)) throw new ValidationError(problemsOf(plugin.checkSettings, 'settings'), `These settings do not fit the ${name} plugin.`);
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await writeState(deps, plugin, projectId, userId, input.enabled, settings);
    } catch (error) {
      if (!(error instanceof StoreConflictError || error instanceof StoreDuplicateError) || attempt >= 3) {
        if (error instanceof StoreConflictError || error instanceof StoreDuplicateError) throw new ConflictError('The plugin was changed at the same time; try again.');
        throw error;
      }
    }
  }
}

async function writeState(deps: PluginDeps, plugin: LoadedPlugin, projectId: string, userId: string, enabled: boolean, settings: Record<string, unknown> | null): Promise<ProjectPluginView> {
  const id = pluginStateId(plugin.name, projectId);
  const [before, cursor, lastSeq] = await Promise.all([
    deps.store.pluginStates.get(id),
    deps.store.linkCursors.get(pluginCursorId(plugin.name, projectId)),
    deps.store.changes.lastSeq(projectId),
  ]);
  const now = deps.now().toISOString();
  const turnedOn = enabled && !before?.enabled;
  const next: PluginState = {
    id,
    name: plugin.name,
    projectId,
    enabled,
    settings: settings ?? before?.settings ?? defaultSettings(plugin),
    // Turning a plugin off or on starts its failure count over.
    failures: before && before.enabled === enabled ? before.failures : 0,
    lastError: before && before.enabled === enabled ? before.lastError : null,
    failingSince: before && before.enabled === enabled ? before.failingSince : null,
    createdAt: before?.createdAt ?? now,
    updatedAt: now,
  };
  const view = presentState(plugin, next, true);
  await commit(deps, { projectId }, (uow) => {
    if (before) uow.replace('pluginStates', next, { updatedAt: before.updatedAt });
    else uow.insert('pluginStates', next);
    if (turnedOn) {
      const fresh = { id: pluginCursorId(plugin.name, projectId), seq: lastSeq, lockedBy: null, lockedUntil: null, failedAt: null, updatedAt: now };
      if (cursor) uow.replace('linkCursors', fresh);
      else uow.insert('linkCursors', fresh);
    }
    // Settings stay out of the feed: every reader of the project reads the feed, and settings may hold secrets.
    uow.append({ type: 'plugin.updated', actorId: userId, data: { name: plugin.name, enabled: next.enabled, status: view.status } });
  });
  if (next.enabled) await deps.pluginJobs.kick(plugin.name, projectId);
  return view;
}

/** The plugin's state in the project when it is enabled there, else null. */
export async function enabledState(deps: ServiceDeps, plugin: string, projectId: string): Promise<PluginState | null> {
  const state = await deps.store.pluginStates.get(pluginStateId(plugin, projectId));
  return state?.enabled ? state : null;
}
