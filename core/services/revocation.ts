// Cutting access now: token records are removed by the caller's unit of work
// (HTTP stops at once); this tells every node to drop the sockets opened with them.

import type { ServiceDeps } from './deps.js';

/** Tells every node to cut the sockets opened with these tokens; the HTTP side stops at once because the records are gone. */
export async function announceRevoked(deps: ServiceDeps, tokenIds: string[]): Promise<void> {
  if (tokenIds.length === 0) return;
  await deps.bus.publishControl({ type: 'tokens.revoked', tokenIds }).catch((error: unknown) => deps.logger.error({ err: error }, 'announcing revoked tokens failed'));
}
