import { z } from 'zod';
import type { ServiceDeps } from '../../../services/deps.js';
import { listPresence, type PresenceReader } from '../../../services/presence.js';
import { route, type RouteDef } from '../../routing.js';
import { ProjectParams } from '../projects/schema.js';

const PresenceList = z.object({
  items: z.array(z.object({ userId: z.string(), state: z.enum(['active', 'idle', 'inactive', 'offline']) })),
  nextCursor: z.null(),
});

export function presenceRoutes(deps: ServiceDeps, presence: PresenceReader): RouteDef[] {
  return [
    route({
      method: 'get', path: '/api/projects/:projectId/presence', tag: 'presence', summary: 'Presence of every member: active, idle, inactive or offline', auth: 'required',
      params: ProjectParams, status: 200, response: PresenceList, errors: [401, 404],
      handle: async ({ actor, params }) => ({ items: await listPresence(deps, presence, actor, params.projectId), nextCursor: null }),
    }),
  ];
}
