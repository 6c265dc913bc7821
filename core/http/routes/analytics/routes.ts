import { AnalyticsView } from '../../../presenters/analytics.js';
import { projectAnalytics } from '../../../services/analytics.js';
import type { ServiceDeps } from '../../../services/deps.js';
import { route, type RouteDef } from '../../routing.js';
import { ProjectParams } from '../projects/schema.js';
import { AnalyticsQuery } from './schema.js';

export function analyticsRoutes(deps: ServiceDeps): RouteDef[] {
  return [
    route({
      method: 'get', path: '/api/projects/:projectId/analytics', tag: 'analytics', summary: 'Throughput, cycle and lead times, flow, members and chat over a range of days (project readers; not embed tokens)', auth: 'required',
      params: ProjectParams, query: AnalyticsQuery, status: 200, response: AnalyticsView, errors: [400, 401, 403, 404],
      handle: ({ actor, params, query }) => projectAnalytics(deps, actor, params.projectId, query),
    }),
  ];
}
