// Bearer token → actor. Used by HTTP now and by the socket handshake later.

import type { RequestActor, UserActor } from '../domain/actor.js';
import { hashToken } from './credentials.js';
import type { ServiceDeps } from './deps.js';
import { authenticateEmbed, type EmbedDeps } from './embeds.js';

/** Record use at most this often per token, so reads stay reads. */
const TOUCH_EVERY_MS = 60_000;

export async function authenticateBearer(deps: ServiceDeps, token: string): Promise<UserActor | null> {
  if (token.length < 16 || token.length > 200) return null;
  const record = await deps.store.tokens.getByHash(hashToken(token));
  if (!record) return null;
  const now = deps.now();
  if (record.expiresAt && Date.parse(record.expiresAt) <= now.getTime()) return null;
  const user = await deps.store.users.get(record.userId);
  if (!user || user.disabled === true) return null;
  if (!record.lastUsedAt || now.getTime() - Date.parse(record.lastUsedAt) > TOUCH_EVERY_MS) {
    deps.store.tokens.touch(record.id, now.toISOString()).catch((error: unknown) => deps.logger.warn({ err: error }, 'recording token use failed'));
  }
  return { kind: 'user', userId: user.id, tokenId: record.id, tokenKind: record.kind, isAdmin: user.isAdmin };
}

/** Any bearer token: embed tokens (twe_) go through their origin and identity checks, others are user tokens. */
export async function authenticateAny(deps: EmbedDeps, token: string, origin: string | null, userToken: string | null): Promise<RequestActor | null> {
  if (token.startsWith('twe_')) return authenticateEmbed(deps, token, origin, userToken);
  return authenticateBearer(deps, token);
}
