import type { ServiceDeps } from '../../../services/deps.js';
import type { RouteDef } from '../../routing.js';

export function taskRoutes(_deps: ServiceDeps): RouteDef[] {
  return [];
}
