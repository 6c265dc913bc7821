import Router from '@koa/router';
import { checkHealth, type HealthPart } from '../../../services/health.js';

/** GET /health: 200 with the kind of each part when all answer, 503 naming the failing ones otherwise. */
export function healthRoutes(parts: readonly HealthPart[]): Router {
  const router = new Router();
  router.get('/health', async (ctx) => {
    const report = await checkHealth(parts);
    ctx.status = report.status === 'ok' ? 200 : 503;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: report.status, ...report.parts, ...(report.failing.length > 0 ? { failing: report.failing } : {}) };
  });
  return router;
}
