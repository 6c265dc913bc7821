import { z } from 'zod';
import { PLUGIN_SETTINGS_MARK, PluginView, ProjectPluginView } from '../../../presenters/index.js';
import type { LoadedRoute } from '../../../plugins/manifest.js';
import { Id } from '../common.js';

export const PluginList = z.object({ items: z.array(PluginView), nextCursor: z.null() });
export const ProjectPluginList = z.object({ items: z.array(ProjectPluginView), nextCursor: z.null() });
export const PluginParams = z.object({ projectId: Id, name: z.string().min(1).max(40) });
export const PluginConfig = z
  .object({
    enabled: z.boolean(),
    settings: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("checked against the plugin's settingsSchema; left out, the settings stay as they are")
      .meta({ [PLUGIN_SETTINGS_MARK]: true }),
  })
  .strict();

/** Each path parameter of a plugin route, as an id. */
export function pluginRouteParams(route: LoadedRoute) {
  const names = [...route.path.matchAll(/:([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1]!);
  return z.object(Object.fromEntries(names.map((name) => [name, Id])));
}

/**
 * The route's query as documented parameters. Values pass through untouched:
 * the plugin's JSON Schema (Ajv, with string coercion) is the one that decides.
 */
export function pluginRouteQuery(route: LoadedRoute) {
  const schema = route.querySchema as { properties?: Record<string, Record<string, unknown>>; required?: string[] } | null;
  const required = new Set(schema?.required ?? []);
  const shape = Object.fromEntries(
    Object.entries(schema?.properties ?? {}).map(([name, property]) => {
      const field = z.unknown().meta(property);
      return [name, required.has(name) ? field : field.optional()];
    }),
  );
  return z.object(shape).loose();
}

export function pluginRouteBody(route: LoadedRoute) {
  return route.bodySchema ? z.unknown().meta(route.bodySchema) : undefined;
}
