// The audit log of administrative actions: written in the same unit of work as
// the action itself, so an action without its entry (or the reverse) cannot be.

import type { Actor } from '../domain/actor.js';
import type { AuditEntry } from '../domain/entities.js';
import type { ServiceDeps } from './deps.js';

export interface Request {
  /** The client's address as the HTTP layer sees it (behind a proxy: what the proxy forwards). */
  ip: string | null;
}

export function auditEntry(deps: ServiceDeps, actor: Actor | null, action: string, targetId: string | null, details: Record<string, unknown>, request: Request): AuditEntry {
  return {
    id: deps.newId(),
    actorId: actor && actor.kind === 'user' ? actor.userId : null,
    action,
    targetId,
    details,
    ip: request.ip,
    createdAt: deps.now().toISOString(),
  };
}
