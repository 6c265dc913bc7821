import type { Middleware } from 'koa';
import type { Metrics } from '../../metrics/ports.js';

/**
 * Counts and times every request by its route template (what @koa/router matched), never by its path: one
 * series per task id would swamp Prometheus. Mounted before the error handler so errors count with the status
 * they were answered with.
 */
export function httpMetrics(metrics: Metrics): Middleware {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    let status: number | null = null;
    try {
      await next();
      status = ctx.status;
    } finally {
      // oxlint-disable-next-line no-underscore-dangle -- @koa/router's own name for the template it matched.
      const route = (ctx as { _matchedRoute?: unknown })._matchedRoute;
      // Whatever escaped the error handler is answered by Koa as a 500.
      metrics.httpRequest(ctx.method, typeof route === 'string' ? route : 'unmatched', status ?? 500, Number(process.hrtime.bigint() - started) / 1e9);
    }
  };
}
