import type { Role } from './entities.js';

/** Project roles, weakest first. */
export const ROLES: readonly Role[] = ['viewer', 'member', 'admin', 'owner'];

export function roleAtLeast(role: Role | null | undefined, minimum: Role): boolean {
  return role != null && ROLES.indexOf(role) >= ROLES.indexOf(minimum);
}
