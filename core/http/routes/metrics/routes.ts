import { createHash, timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import { UnauthenticatedError } from '../../../errors.js';
import type { Exposition } from '../../../metrics/ports.js';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * GET /metrics in Prometheus text format, outside /api and the OpenAPI document (it is for scrapers). With a
 * token it needs `Authorization: Bearer <token>`; without one it is open, for a scraper on a private network.
 */
export function metricsRoutes(exposition: Exposition, token: string | null): Router {
  // Equal-length digests let timingSafeEqual compare any header, so a wrong guess's length or prefix shows in no timing.
  const expected = token === null ? null : digest(`Bearer ${token}`);
  const router = new Router();
  router.get('/metrics', async (ctx) => {
    if (expected && !timingSafeEqual(digest(ctx.get('Authorization')), expected)) {
      ctx.set('WWW-Authenticate', 'Bearer');
      throw new UnauthenticatedError('GET /metrics needs Authorization: Bearer <METRICS_TOKEN>.');
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Type', exposition.contentType);
    ctx.body = await exposition.render();
  });
  return router;
}
