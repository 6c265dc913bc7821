// Handshake authentication with a short memory for user tokens: after a restart
// or a network blip, thousands of sockets come back with the same few tokens within seconds.
// Concurrent checks of one token share one verification, and a verified token
// is trusted for TTL_MS (never longer: expiry and any change the bus did not
// announce are seen again that soon). Revocations, which the bus announces
// (logout, deleted tokens, disabled users, deleted embed tokens), forget every
// entry at once, so a cut token is refused on the next handshake.

import type { Actor } from '../domain/actor.js';

export type Authenticate = (token: string, origin: string | null, userToken: string | null) => Promise<Actor | null>;

const TTL_MS = 2_000;
const EMBED_PREFIX = 'twe_';
const MAX_ENTRIES = 10_000;

interface Entry {
  actor: Promise<Actor | null>;
  until: number;
}

export class HandshakeAuth {
  private readonly verify: Authenticate;
  private entries = new Map<string, Entry>();

  constructor(verify: Authenticate) {
    this.verify = verify;
  }

  authenticate(token: string, origin: string | null, userToken: string | null): Promise<Actor | null> {
    // Embed tokens carry a host's identity token with its own expiry and provision visitors: checked every time.
    if (token.startsWith(EMBED_PREFIX)) return this.verify(token, origin, userToken);
    const key = token;
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.until > now) return hit.actor;
    if (this.entries.size >= MAX_ENTRIES) this.prune(now);
    const entries = this.entries;
    const entry: Entry = { actor: this.verify(token, origin, userToken).catch(() => null), until: now + TTL_MS };
    entries.set(key, entry);
    // Only a verified token is remembered: an unknown one is checked again every time (and fills nothing).
    void entry.actor.then((actor) => {
      if (actor === null && entries.get(key) === entry) entries.delete(key);
      return actor;
    });
    return entry.actor;
  }

  /** Some tokens were revoked: nothing verified before now is trusted any more. */
  forget(): void {
    // A new map: checks still in flight resolve for their own handshakes but land in the old one.
    this.entries = new Map();
  }

  private prune(now: number): void {
    for (const [key, entry] of this.entries) if (entry.until <= now) this.entries.delete(key);
    // Still full of live entries: start over rather than grow without bound.
    if (this.entries.size >= MAX_ENTRIES) this.entries = new Map();
  }
}
