// Embed tokens: what lets an intranet page show a project's board and chat.
// A token works only from its listed origins, only for its project, never above
// its role; with identity "verified" every request must also carry a short-lived
// JWT minted by the host site, and acts as that (auto-provisioned) user.

import { createHash } from 'node:crypto';
import { errors as joseErrors, jwtVerify } from 'jose';
import type { Actor, EmbedActor } from '../domain/actor.js';
import type { EmbedIdentity, EmbedRole, EmbedToken, User } from '../domain/entities.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { presentEmbedToken, type CreatedEmbedTokenView, type EmbedTokenView } from '../presenters/index.js';
import { projectAccess } from './access.js';
import { hashToken, newToken } from './credentials.js';
import { commit, type ServiceDeps } from './deps.js';
import { buildUser, insertExternalUser } from './users.js';
import type { Sealer } from './sealing.js';

export interface EmbedDeps extends ServiceDeps {
  sealer: Sealer;
}

/** JWTs may live at most this long ahead (API.md: exp at most 1 hour ahead), with a little clock skew. */
const MAX_JWT_LIFETIME_S = 3600 + 60;

/** https://Intranet.Example:443/ → https://intranet.example (the form browsers send in Origin). */
export function normalizeOrigin(origin: string): string | null {
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) return null;
    return url.origin;
  } catch {
    return null;
  }
}

function userOnly(actor: Actor): void {
  if (actor.kind !== 'user') throw new ForbiddenError('Embed tokens are managed by people, not by an embedded widget.');
}

export async function createEmbedToken(
  deps: EmbedDeps,
  actor: Actor,
  projectId: string,
  input: { name: string; origins: string[]; role: EmbedRole; identity: EmbedIdentity },
): Promise<CreatedEmbedTokenView> {
  userOnly(actor);
  const { subject } = await projectAccess(deps, actor, projectId, 'embed.manage');
  const token = newToken('twe');
  const secret = input.identity === 'verified' ? newToken('twe').slice(4) : null;
  const record: EmbedToken = {
    id: deps.newId(),
    projectId,
    name: input.name.trim(),
    tokenHash: hashToken(token),
    origins: [...new Set(input.origins.map((o) => normalizeOrigin(o)!))],
    role: input.role,
    identity: input.identity,
    secretSealed: secret ? deps.sealer.seal(secret) : null,
    createdBy: subject.userId!,
    createdAt: deps.now().toISOString(),
  };
  await commit(deps, { projectId }, (uow) => {
    uow.insert('embedTokens', record);
    uow.append({ type: 'embed.created', actorId: subject.userId, data: { ...presentEmbedToken(record) } });
  });
  return { ...presentEmbedToken(record), token, ...(secret ? { secret } : {}) };
}

export async function listEmbedTokens(deps: EmbedDeps, actor: Actor, projectId: string): Promise<EmbedTokenView[]> {
  userOnly(actor);
  await projectAccess(deps, actor, projectId, 'embed.manage');
  return (await deps.store.embedTokens.listByProject(projectId)).map(presentEmbedToken);
}

export async function deleteEmbedToken(deps: EmbedDeps, actor: Actor, projectId: string, embedTokenId: string): Promise<void> {
  userOnly(actor);
  const { subject } = await projectAccess(deps, actor, projectId, 'embed.manage');
  const record = await deps.store.embedTokens.get(embedTokenId);
  if (!record || record.projectId !== projectId) throw new NotFoundError('Embed token not found.');
  await commit(deps, { projectId }, (uow) => {
    uow.remove('embedTokens', record.id);
    uow.append({ type: 'embed.deleted', actorId: subject.userId, data: { id: record.id, projectId } });
  });
  await deps.bus.publishControl({ type: 'embeds.revoked', embedTokenIds: [record.id] }).catch((error: unknown) => deps.logger.error({ err: error }, 'announcing a revoked embed token failed'));
}

interface HostClaims {
  sub: string;
  name: string;
}

async function verifyHostJwt(deps: EmbedDeps, record: EmbedToken, userToken: string | null): Promise<HostClaims | null> {
  if (!userToken || !record.secretSealed) return null;
  try {
    const key = new TextEncoder().encode(deps.sealer.open(record.secretSealed));
    const { payload } = await jwtVerify(userToken, key, { algorithms: ['HS256'], audience: record.projectId, requiredClaims: ['sub', 'exp'] });
    const now = Math.floor(deps.now().getTime() / 1000);
    if (typeof payload.exp !== 'number' || payload.exp - now > MAX_JWT_LIFETIME_S) return null;
    const name = typeof payload['name'] === 'string' ? payload['name'].trim().slice(0, 100) : '';
    if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 200 || !name) return null;
    return { sub: payload.sub, name };
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) return null;
    throw error;
  }
}

/**
 * The user an embed acts as: the host's verified user, or one guest per anonymous token.
 * Never linked by email: a host site could otherwise claim any Taskwire account.
 */
async function provisionUser(deps: EmbedDeps, record: EmbedToken, sub: string, name: string): Promise<User> {
  const externalRef = `${record.id}:${sub}`;
  const existing = await deps.store.users.getByExternalRef(externalRef);
  if (existing) {
    if (existing.name === name) return existing;
    const renamed = { ...existing, name, updatedAt: deps.now().toISOString() };
    await commit(deps, { projectId: null }, (uow) => uow.replace('users', renamed)).catch(() => {});
    return renamed;
  }
  const digest = createHash('sha256').update(externalRef).digest('hex').slice(0, 24);
  const user = buildUser(deps, { email: `embed-${digest}@embed.invalid`, name, passwordHash: null, externalRef });
  return insertExternalUser(deps, { ...user, externalRef });
}

/** An embed token (twe_...) from `origin`, with the host's JWT when its identity is verified; null when refused. */
export async function authenticateEmbed(deps: EmbedDeps, token: string, origin: string | null, userToken: string | null): Promise<EmbedActor | null> {
  const record = await deps.store.embedTokens.getByHash(hashToken(token));
  if (!record) return null;
  const from = origin ? normalizeOrigin(origin) : null;
  if (!from || !record.origins.includes(from)) return null;
  let user: User;
  if (record.identity === 'verified') {
    const claims = await verifyHostJwt(deps, record, userToken);
    if (!claims) return null;
    user = await provisionUser(deps, record, claims.sub, claims.name);
  } else {
    user = await provisionUser(deps, record, 'guest', 'Guest');
  }
  return { kind: 'embed', embedTokenId: record.id, projectId: record.projectId, maxRole: record.role, userId: user.id, verified: record.identity === 'verified' };
}
