import type { LoadedPlugin, LoadedRoute } from '../../../plugins/manifest.js';
import { callPluginRoute } from '../../../plugins/routes.js';
import * as plugins from '../../../services/plugins.js';
import { route, type Method, type RouteDef } from '../../routing.js';
import { ProjectParams } from '../projects/schema.js';
import { PluginConfig, PluginList, PluginParams, ProjectPluginList, pluginRouteBody, pluginRouteParams, pluginRouteQuery } from './schema.js';
import { ProjectPluginView } from '../../../presenters/index.js';
import { z } from 'zod';

function ownRoute(deps: plugins.PluginDeps, plugin: LoadedPlugin, r: LoadedRoute): RouteDef {
  const body = pluginRouteBody(r);
  return route({
    method: r.method.toLowerCase() as Method, path: `/api/plugins/${plugin.name}${r.path}`, tag: `plugin: ${plugin.name}`, summary: r.summary, auth: 'required',
    params: pluginRouteParams(r), query: pluginRouteQuery(r), ...(body ? { body } : {}),
    status: 200, response: z.unknown(), errors: [400, 401, 403, 404, 409, 413, 503],
    handle: ({ actor, params, query, body: input }) =>
      callPluginRoute(deps, plugin, r, { actor, params: params as Record<string, string>, query: query as Record<string, unknown>, body: input }),
  });
}

export function pluginRoutes(deps: plugins.PluginDeps): RouteDef[] {
  return [
    route({
      method: 'get', path: '/api/plugins', tag: 'plugins', summary: 'Installed plugins with their settings schemas, commands, events, task field and panel', auth: 'required',
      status: 200, response: PluginList, errors: [401],
      handle: async () => plugins.listPlugins(deps),
    }),
    route({
      method: 'get', path: '/api/projects/:projectId/plugins', tag: 'plugins', summary: 'Each plugin in this project: enabled, status; settings and errors for admins', auth: 'required',
      params: ProjectParams, status: 200, response: ProjectPluginList, errors: [400, 401, 404],
      handle: ({ actor, params }) => plugins.listProjectPlugins(deps, actor, params.projectId),
    }),
    route({
      method: 'get', path: '/api/projects/:projectId/plugins/:name', tag: 'plugins', summary: 'One plugin in this project', auth: 'required',
      params: PluginParams, status: 200, response: ProjectPluginView, errors: [400, 401, 404],
      handle: ({ actor, params }) => plugins.getProjectPlugin(deps, actor, params.projectId, params.name),
    }),
    route({
      method: 'put', path: '/api/projects/:projectId/plugins/:name', tag: 'plugins', summary: 'Enable, disable or configure a plugin in this project (admins)', auth: 'required',
      params: PluginParams, body: PluginConfig, status: 200, response: ProjectPluginView, errors: [400, 401, 403, 404, 409, 413],
      handle: ({ actor, params, body }) => plugins.configureProjectPlugin(deps, actor, params.projectId, params.name, body),
    }),
    ...deps.plugins.list().flatMap((plugin) => plugin.routes.map((r) => ownRoute(deps, plugin, r))),
  ];
}
