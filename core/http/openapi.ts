// The OpenAPI 3.1 document, generated from the route definitions themselves.

import { z } from 'zod';
import { PLUGIN_FIELDS_MARK, PLUGIN_SETTINGS_MARK } from '../presenters/views.js';
import type { RouteDef } from './routing.js';

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'validation_failed: the request is not valid; details name each bad field',
  401: 'unauthenticated: no valid bearer token',
  403: 'forbidden: the caller can see this but may not do it',
  404: 'not_found: no such thing, or the caller may not see it',
  409: 'conflict: a duplicate, or a stale version (details carry the current record)',
  413: 'payload_too_large: the body is over 1 MB',
  429: 'rate_limited: too many attempts; see Retry-After',
  503: 'unavailable',
};

/** A conditional list's validator: weak, from the project's feed position and what this caller may see. */
const CONDITIONAL_HEADERS = {
  ETag: {
    description: 'Weak entity tag (W/"…") of this list as this caller sees it now; send it back as If-None-Match',
    required: true,
    schema: { type: 'string', pattern: '^W/"[^"]+"$' },
  },
  'Cache-Control': { description: 'private, no-cache: one caller\'s view, revalidated before reuse', schema: { type: 'string' } },
};

const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.array(z.unknown()) }),
});

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function parameters(def: RouteDef): unknown[] {
  const list: unknown[] = [];
  const add = (schema: z.ZodObject<z.ZodRawShape> | undefined, where: 'path' | 'query') => {
    if (!schema) return;
    const json = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      list.push({ name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema: property });
    }
  };
  add(def.params, 'path');
  add(def.query, 'query');
  if (def.conditional) {
    list.push({
      name: 'If-None-Match',
      in: 'header',
      required: false,
      description: 'The ETag of the copy the client holds (or several, comma-separated): if it is still current for this caller, the answer is 304 without a body.',
      schema: { type: 'string' },
    });
  }
  return list;
}

export interface PluginSchemas {
  /** Each plugin's task field schema, by plugin name. */
  fields: Record<string, unknown>;
  /** Each plugin's settings schema. */
  settings: Record<string, unknown>[];
}

/**
 * Puts the loaded plugins' schemas where a schema carries a mark: their task
 * fields (in every task shape) and, for a plugin's settings, one of theirs.
 */
function withPluginSchemas(node: unknown, plugins: PluginSchemas): unknown {
  if (Array.isArray(node)) return node.map((item) => withPluginSchemas(item, plugins));
  if (typeof node !== 'object' || node === null) return node;
  const { [PLUGIN_FIELDS_MARK]: fields, [PLUGIN_SETTINGS_MARK]: settings, ...rest } = node as Record<string, unknown>;
  if (fields === true) return { ...rest, type: 'object', properties: plugins.fields, additionalProperties: {} };
  if (settings === true && plugins.settings.length > 0) {
    const { description } = rest;
    const one = plugins.settings.length === 1 ? plugins.settings[0]! : { anyOf: plugins.settings };
    return { ...one, ...(description ? { description } : {}) };
  }
  return Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, withPluginSchemas(value, plugins)]));
}

export function openApiDocument(
  routes: readonly RouteDef[],
  info: { title: string; version: string },
  plugins: PluginSchemas = { fields: {}, settings: [] },
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const def of routes) {
    const path = def.path.replace(/:(\w+)/g, '{$1}');
    const responses: Record<string, unknown> = {
      [def.status]: def.response
        ? { description: 'Success', ...(def.conditional ? { headers: CONDITIONAL_HEADERS } : {}), content: { 'application/json': { schema: jsonSchema(def.response, 'output') } } }
        : { description: 'Success, no content' },
    };
    if (def.conditional) responses[304] = { description: 'Not Modified: the If-None-Match tag is still current for this caller; no body', headers: CONDITIONAL_HEADERS };
    // Every input is validated, so anything that takes parameters or a body can answer 400.
    const errors = new Set(def.errors);
    if (def.params || def.query || def.body) errors.add(400);
    for (const status of [...errors].sort()) {
      responses[status] = { description: ERROR_DESCRIPTIONS[status] ?? 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    }
    (paths[path] ??= {})[def.method] = {
      tags: [def.tag],
      summary: def.summary,
      operationId: `${def.method}${path.replace(/[{}]/g, '').replace(/[^a-zA-Z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
      ...(def.auth === 'required' ? { security: [{ bearer: [] }] } : {}),
      parameters: parameters(def),
      ...(def.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(def.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info,
    paths: withPluginSchemas(paths, plugins),
    components: {
      schemas: { Error: jsonSchema(ErrorBody, 'output') },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A session token from login/register, or a personal API token' } },
    },
  };
}
