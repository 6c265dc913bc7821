import type { ServiceDeps } from '../../../services/deps.js';
import type { RouteDef } from '../../routing.js';

export function roomRoutes(_deps: ServiceDeps): RouteDef[] {
  return [];
}
