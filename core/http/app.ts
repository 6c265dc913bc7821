// createApp(deps) builds the Koa application without listening, so tests and
// main.ts mount the same thing.

import Koa from 'koa';
import type { Logger } from '../logger.js';
import type { HealthPart } from '../services/health.js';
import { errorHandler } from './middleware/errors.js';
import { requestId, type RequestState } from './middleware/request-id.js';
import { healthRoutes } from './routes/health/routes.js';

export interface AppDeps {
  logger: Logger;
  health: readonly HealthPart[];
}

export function createApp(deps: AppDeps): Koa<RequestState> {
  const app = new Koa<RequestState>({ proxy: false });
  // Errors are answered by errorHandler and logged there with their request id; Koa's default stderr dump is not wanted.
  app.silent = true;
  app.use(requestId(deps.logger));
  app.use(errorHandler());
  const health = healthRoutes(deps.health);
  app.use(health.routes());
  app.use(health.allowedMethods());
  return app;
}
