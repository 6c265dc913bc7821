// Who is asking. Every service takes the actor explicitly; transports build it
// from their own credentials (HTTP bearer token, socket handshake, Slack user).

import type { EmbedRole, TokenKind } from './entities.js';

export interface UserActor {
  kind: 'user';
  userId: string;
  /** The token that authenticated this request, so logout can revoke exactly it. */
  tokenId: string;
  tokenKind: TokenKind;
  isAdmin: boolean;
}

/** A visitor of a page embedding the widget: bound to one project and capped at the embed token's role. */
export interface EmbedActor {
  kind: 'embed';
  embedTokenId: string;
  projectId: string;
  maxRole: EmbedRole;
  /** The user this visitor acts as: the host site's verified user, or the token's shared guest. */
  userId: string | null;
  /** Whether the host site vouched for who this visitor is (identity "verified"). */
  verified: boolean;
}

/**
 * A plugin at work in one project, as its own bot user: a member there (it may
 * write tasks and post in public rooms) and nowhere else. What it may do beyond
 * that is narrowed by its declared permissions (core/plugins/context.ts).
 */
export interface PluginActor {
  kind: 'plugin';
  plugin: string;
  userId: string;
  projectId: string;
}

export type Actor = UserActor | EmbedActor | PluginActor;

/** Who can arrive over HTTP or a socket: people and embedded widgets, never a plugin. */
export type RequestActor = UserActor | EmbedActor;

/** The user id a write is attributed to, or null for an anonymous embed visitor. */
export function actorUserId(actor: Actor): string | null {
  return actor.userId;
}
