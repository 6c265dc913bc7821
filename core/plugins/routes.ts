// Calls to a plugin's own routes (/api/plugins/<name>/...): the core finds the
// project (named, or through the task), checks the caller's role and that the
// plugin is enabled there, validates query and body against the route's
// schemas, and only then runs the plugin's handler as its bot.

import type { Actor } from '../domain/actor.js';
import { roleAtLeast } from '../domain/roles.js';
import { AppError, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { projectAccess } from '../services/access.js';
import type { ServiceDeps } from '../services/deps.js';
import { enabledState } from '../services/plugins.js';
import { personOf } from './commands.js';
import { requestContext, withinTime } from './context.js';
import type { LoadedPlugin, LoadedRoute } from './manifest.js';
import { problemsOf } from './schemas.js';

/** A plugin handler that failed on its side: logged, answered as 503 so the client may retry. */
export class PluginFailedError extends AppError {
  constructor(plugin: string) {
    super('unavailable', 503, `The ${plugin} plugin could not answer; try again later.`);
  }
}

export interface PluginCall {
  actor: Actor;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
}

async function projectOf(deps: ServiceDeps, route: LoadedRoute, params: Record<string, string>): Promise<string> {
  if (route.scope === 'projectId') return params['projectId']!;
  const task = await deps.store.tasks.get(params['taskId']!);
  if (!task) throw new NotFoundError('Task not found.');
  return task.projectId;
}

export async function callPluginRoute(deps: ServiceDeps, plugin: LoadedPlugin, route: LoadedRoute, call: PluginCall): Promise<unknown> {
  // Input first, as for every other route: a malformed request is a 400 whoever sends it.
  const query = { ...call.query };
  if (route.checkQuery && !route.checkQuery(query)) throw new ValidationError(problemsOf(route.checkQuery, ''));
  const body = call.body === undefined ? undefined : structuredClone(call.body);
  if (route.checkBody && !route.checkBody(body ?? {})) throw new ValidationError(problemsOf(route.checkBody, ''));

  const projectId = await projectOf(deps, route, call.params);
  const { subject } = await projectAccess(deps, call.actor, projectId, 'project.read').catch((error: unknown) => {
    if (error instanceof NotFoundError && route.scope === 'taskId') throw new NotFoundError('Task not found.');
    throw error;
  });
  if (!roleAtLeast(subject.role, route.role)) throw new ForbiddenError(`Your role (${subject.role ?? 'none'}) cannot do this; it needs ${route.role} or above.`);
  const state = await enabledState(deps, plugin.name, projectId);
  if (!state) throw new NotFoundError(`The ${plugin.name} plugin is not enabled in this project.`);

  const ctx = await requestContext({ deps, plugin, projectId, settings: state.settings, person: await personOf(deps, call.actor, subject.role) });
  try {
    const result = await withinTime(route.handler(ctx, { params: call.params, query, body: body ?? null }), plugin.timeoutMs, plugin.name, `${route.method} ${route.path}`);
    return result ?? null;
  } catch (error) {
    if (error instanceof AppError && error.status < 500) throw error;
    deps.logger.error({ err: error, plugin: plugin.name, route: `${route.method} ${route.path}` }, 'a plugin route failed');
    throw new PluginFailedError(plugin.name);
  }
}
