// createApp(deps) builds the Koa application without listening, so tests and
// main.ts mount the same thing.

import cors from '@koa/cors';
import Router from '@koa/router';
import Koa, { type Middleware } from 'koa';
import type { RequestActor as Actor } from '../domain/actor.js';
import type { Logger } from '../logger.js';
import type { HealthPart } from '../services/health.js';
import { errorHandler } from './middleware/errors.js';
import { literalPathMethods, methodNotAllowed } from './middleware/methods.js';
import { httpMetrics } from './middleware/metrics.js';
import { requestId, type RequestState } from './middleware/request-id.js';
import { staticAssets } from './static.js';
import { healthRoutes } from './routes/health/routes.js';
import { metricsRoutes } from './routes/metrics/routes.js';
import type { Exposition, Metrics } from '../metrics/ports.js';
import { mountRoutes, type ResolveActor, type RouteDef } from './routing.js';

export interface AppDeps {
  logger: Logger;
  health: readonly HealthPart[];
  routes: readonly RouteDef[];
  /**
   * Bearer token → actor; null for an unknown, expired or revoked token, or an embed token used from
   * an origin it does not list. `userToken` is the host site's JWT for verified embeds.
   */
  authenticate(token: string, origin: string | null, userToken: string | null): Promise<Actor | null>;
  /** Endpoints that read their raw body themselves (Slack's signed requests), mounted before the JSON parser. */
  raw?: readonly Middleware[];
  /**
   * TRUST_PROXY: how many reverse proxies in front append to X-Forwarded-For. Only the entries they added are
   * believed (counted from the end), so a client cannot pick its own address for the per-IP limits.
   */
  trustProxy?: number;
  /** Request metrics and GET /metrics; `token` null leaves /metrics open. */
  metrics?: { recorder: Metrics; exposition: Exposition; token: string | null };
}

const BEARER = /^Bearer ([\w.~+/=-]+)$/;

export function createApp(deps: AppDeps): Koa<RequestState> {
  const trustProxy = deps.trustProxy ?? 0;
  const app = new Koa<RequestState>({ proxy: trustProxy > 0, maxIpsCount: trustProxy });
  // Errors are answered by errorHandler and logged there with their request id; Koa's default stderr dump is not wanted.
  app.silent = true;
  app.use(requestId(deps.logger));
  if (deps.metrics) app.use(httpMetrics(deps.metrics.recorder));
  app.use(errorHandler());
  // Before CORS: a scraper is no browser, and no web page needs to read /metrics.
  if (deps.metrics) app.use(metricsRoutes(deps.metrics.exposition, deps.metrics.token).routes());
  // Bearer tokens, not cookies, authenticate: any page may call the API, and embed tokens are bound to their own origins.
  app.use(
    cors({
      origin: (ctx) => ctx.get('Origin') || '*',
      allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowHeaders: ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'X-Request-Id', 'X-Taskwire-User'],
      exposeHeaders: ['ETag', 'Retry-After', 'X-Request-Id'],
      maxAge: 600,
    }),
  );

  const health = healthRoutes(deps.health);
  app.use(health.routes());
  app.use(staticAssets());
  for (const middleware of deps.raw ?? []) app.use(middleware);

  const resolveActor: ResolveActor = async (ctx) => {
    const match = BEARER.exec(ctx.get('Authorization'));
    return match ? deps.authenticate(match[1]!, ctx.get('Origin') || null, ctx.get('X-Taskwire-User') || null) : null;
  };
  const api = new Router();
  mountRoutes(api, deps.routes, resolveActor);
  app.use(literalPathMethods(api));
  app.use(api.routes());
  app.use(methodNotAllowed(api));
  return app;
}
