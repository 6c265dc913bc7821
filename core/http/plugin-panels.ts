// GET /plugins/<name>/panel.js: each plugin's widget panel, an ES module the
// widget imports into its task editor. Read once at boot (plugins are loaded
// once); any page embedding the widget may load it, like /widget.js.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Middleware } from 'koa';
import type { PluginRegistry } from '../plugins/registry.js';

const PANEL_PATH = /^\/plugins\/([a-z][a-z0-9-]{1,39})\/panel\.js$/;

export function pluginPanels(registry: PluginRegistry): Middleware {
  const panels = new Map(
    registry.list().flatMap((plugin) => {
      if (!plugin.panel) return [];
      const body = readFileSync(plugin.panel.file);
      return [[plugin.name, { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` }] as const];
    }),
  );
  return async (ctx, next) => {
    const match = PANEL_PATH.exec(ctx.path);
    const panel = match && (ctx.method === 'GET' || ctx.method === 'HEAD') ? panels.get(match[1]!) : undefined;
    if (!panel) return next();
    ctx.set({
      'Cache-Control': 'no-cache',
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'X-Content-Type-Options': 'nosniff',
      ETag: panel.etag,
    });
    ctx.type = 'text/javascript; charset=utf-8';
    if (ctx.get('If-None-Match') === panel.etag) {
      ctx.status = 304;
      return;
    }
    ctx.body = panel.body;
  };
}
