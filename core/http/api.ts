// Every API route of this server, in one list: mounted by app.ts and
// described by /api/openapi.json.

import { z } from 'zod';
import type { AuthDeps } from '../services/auth.js';
import type { EmbedDeps } from '../services/embeds.js';
import type { PresenceReader } from '../services/presence.js';
import type { TestSender } from '../services/notifications.js';
import type { InstanceFigures } from '../services/stats.js';
import { adminRoutes } from './routes/admin/routes.js';
import { analyticsRoutes } from './routes/analytics/routes.js';
import { integrationRoutes } from './routes/integrations/routes.js';
import { webhookRoutes } from './routes/webhooks/routes.js';
import { pluginRoutes } from './routes/plugins/routes.js';
import type { PluginDeps } from '../services/plugins.js';
import type { WebhookDeps } from '../services/webhooks.js';
import { ListCache } from './list-cache.js';
import { openApiDocument } from './openapi.js';
import { route, type RouteDef } from './routing.js';
import { authRoutes } from './routes/auth/routes.js';
import { changeRoutes } from './routes/changes/routes.js';
import { embedRoutes } from './routes/embeds/routes.js';
import { memberRoutes } from './routes/members/routes.js';
import { presenceRoutes } from './routes/presence/routes.js';
import { messageRoutes } from './routes/messages/routes.js';
import { notificationRoutes } from './routes/notifications/routes.js';
import { projectRoutes } from './routes/projects/routes.js';
import { transferRoutes } from './routes/transfer/routes.js';
import type { ImportDeps } from '../services/import.js';
import { roomRoutes } from './routes/rooms/routes.js';
import { taskRoutes } from './routes/tasks/routes.js';

export const DEFAULT_LIST_CACHE_BYTES = 32 * 1024 * 1024;

export const API_INFO = { title: 'Taskwire', version: '0.1.0' };

export interface ApiOptions {
  /** LIST_CACHE_MB in bytes: serialized list pages kept by this node (0: none, ETags and 304 still work). */
  listCacheBytes?: number;
}

export function apiRoutes(
  deps: AuthDeps & EmbedDeps & WebhookDeps & PluginDeps & ImportDeps,
  presence: PresenceReader,
  notifications: TestSender,
  figures: InstanceFigures,
  options: ApiOptions = {},
): RouteDef[] {
  const lists = new ListCache({ store: deps.store, bus: deps.bus, maxBytes: options.listCacheBytes ?? DEFAULT_LIST_CACHE_BYTES, metrics: deps.metrics });
  const routes: RouteDef[] = [
    ...authRoutes(deps),
    ...projectRoutes(deps),
    ...transferRoutes(deps),
    ...memberRoutes(deps, lists),
    ...taskRoutes(deps, lists),
    ...roomRoutes(deps, lists),
    ...messageRoutes(deps, lists),
    ...changeRoutes(deps),
    ...analyticsRoutes(deps),
    ...presenceRoutes(deps, presence),
    ...embedRoutes(deps),
    ...notificationRoutes(deps, notifications),
    ...adminRoutes(deps, figures),
    ...integrationRoutes(deps),
    ...webhookRoutes(deps),
    ...pluginRoutes(deps),
  ];
  const pluginSchemas = {
    fields: Object.fromEntries(deps.plugins.list().flatMap((p) => (p.field ? [[p.name, p.field.schema]] : []))),
    settings: deps.plugins.list().map((p) => p.settingsSchema),
  };
  let document: Record<string, unknown> | undefined;
  routes.push(
    route({
      method: 'get', path: '/api/openapi.json', tag: 'meta', summary: 'This document', auth: 'public',
      status: 200, response: z.record(z.string(), z.unknown()), errors: [],
      handle: async () => (document ??= openApiDocument(routes, API_INFO, pluginSchemas)),
    }),
  );
  return routes;
}
