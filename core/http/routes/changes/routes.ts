import { readFeed } from '../../../services/changes.js';
import type { ServiceDeps } from '../../../services/deps.js';
import { route, type RouteDef } from '../../routing.js';
import { ProjectParams } from '../projects/schema.js';
import { FeedPage, FeedQuery } from './schema.js';

export function changeRoutes(deps: ServiceDeps): RouteDef[] {
  return [
    route({
      method: 'get', path: '/api/projects/:projectId/changes', tag: 'changes', summary: 'The project\'s change feed after `since` (also the polling fallback)', auth: 'required',
      params: ProjectParams, query: FeedQuery, status: 200, response: FeedPage, errors: [400, 401, 404],
      handle: ({ actor, params, query }) => readFeed(deps, actor, params.projectId, query.since, query.limit),
    }),
  ];
}
