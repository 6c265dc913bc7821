// Conditional GET for the hot lists (tasks, columns, rooms, messages, members):
// an ETag derived from the project's feed head and from what the caller may
// see, If-None-Match answered 304, and the serialized pages kept per
// (project, list, query, visibility) in a byte-bounded LRU.
//
// Correctness never rests on the bus. Every request, after authorization (run
// as today, so a caller who lost access gets its 404/403, never a 304), reads
// the project's committed lastSeq from the store (one indexed point read) and
// a page is served only if it was made at that very seq. The bus only frees a
// project's pages early when a change arrives. Why not trust a lastSeq the bus
// told us: the Redis bus reports no outage, disconnection or resubscription
// (core/bus/redis.ts exposes `ping()` on its publisher only), messages lost
// meanwhile are never replayed, and a worker without REDIS_URL writes the same
// SQLite file with a bus of its own (plugin hooks post messages), so no bus
// sees every write. The feed head sees them all, on every node.
//
// ETags are weak (W/"…"): the same tag means the same list at the same feed
// position for the same visibility, not the same bytes (a page read while a
// later change commits is labelled with the older seq, so it is only ever
// served to requests that found that older seq).

import { createHash } from 'node:crypto';
import type { Context } from 'koa';
import type { Bus } from '../bus/ports.js';
import type { Metrics } from '../metrics/ports.js';
import type { Store } from '../store/ports.js';

/** What a route handler returns when it answers from here: 200 with bytes already serialized, or 304. */
export class PreparedReply {
  constructor(
    readonly status: 200 | 304,
    readonly body: Buffer | null,
  ) {}
}

export type ListCacheOutcome = 'hit' | 'miss' | 'not_modified';

export interface ListScope {
  projectId: string;
  /**
   * What the caller may see of this list, as a string that differs whenever the visible content may differ
   * ('*' when every reader sees the same list). Never the user id alone unless nothing coarser is exact.
   */
  visibility: string;
}

export interface ListSpec {
  /** The list, as a stable name (part of the key and of the tag). */
  list: string;
  /** The route's validated params and query: the rest of the key. */
  input: unknown;
  /** Authorizes exactly as the list's service does (throws its 404/403) and says what the caller may see. */
  scope(): Promise<ListScope>;
  /** The page, from the service. */
  compute(): Promise<unknown>;
  /**
   * For a page that shows data outside the project's feed (members: the users' names and emails): a tag of
   * that data as it stands now, read again on every request and part of the ETag. `of` names what the page
   * shows; `tag` reads it.
   */
  outside?: { of(page: unknown): string[]; tag(ids: readonly string[]): Promise<string> };
}

interface Entry {
  key: string;
  keyTag: string;
  projectId: string;
  seq: number;
  etag: string;
  body: Buffer;
  bytes: number;
  outsideIds: string[] | null;
  outsideTag: string;
}

/** Entry bookkeeping besides the body (key, strings, maps), roughly. */
const ENTRY_OVERHEAD = 256;

export const LIST_HEADERS = {
  /** A browser or proxy may keep the page but must revalidate it, and no shared cache may hand it to someone else. */
  cacheControl: 'private, no-cache',
  /** Who the caller is comes from these: a page is one caller's view. */
  vary: ['Authorization', 'X-Taskwire-User'],
};

export interface ListCacheOptions {
  store: Pick<Store, 'changes'>;
  bus: Pick<Bus, 'subscribe'>;
  /** LIST_CACHE_MB in bytes; 0 keeps no pages (ETags and 304 still work). */
  maxBytes: number;
  metrics?: Pick<Metrics, 'listCache' | 'listCacheBytes'> | undefined;
}

export class ListCache {
  private readonly pages = new Map<string, Entry>();
  private readonly byProject = new Map<string, Set<string>>();
  private bytes = 0;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: ListCacheOptions) {
    // Only frees memory early: a page is never served unless its seq is the store's lastSeq.
    this.unsubscribe = options.bus.subscribe((change) => this.dropProject(change.projectId));
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.pages.size, bytes: this.bytes };
  }

  close(): void {
    this.unsubscribe();
    this.pages.clear();
    this.byProject.clear();
    this.bytes = 0;
  }

  async serve(ctx: Context, spec: ListSpec): Promise<PreparedReply> {
    const scope = await spec.scope();
    const seq = await this.options.store.changes.lastSeq(scope.projectId);
    const key = `${scope.projectId}\n${spec.list}\n${canonical(spec.input)}\n${scope.visibility}`;
    let entry = this.pages.get(key);
    // The key's hash is kept with its page: a hit costs no hashing.
    const keyTag = entry?.keyTag ?? createHash('sha256').update(key).digest('base64url').slice(0, 22);
    const base = `${seq}-${keyTag}`;
    const wanted = ctx.get('If-None-Match');

    if (entry && entry.seq !== seq) {
      this.remove(entry);
      entry = undefined;
    }
    if (entry && spec.outside && entry.outsideIds) {
      const tag = await spec.outside.tag(entry.outsideIds);
      if (tag !== entry.outsideTag) {
        this.remove(entry);
        entry = undefined;
      }
    }
    // Without a page, only the exact tag (never `*`): it was handed out with a 200 for this key at this seq.
    if (!entry && !spec.outside && matches(wanted, `W/"${base}"`, false)) return this.answer(ctx, 'not_modified', `W/"${base}"`, null);
    if (entry) {
      // Most recently used last.
      this.pages.delete(key);
      this.pages.set(key, entry);
      return matches(wanted, entry.etag) ? this.answer(ctx, 'not_modified', entry.etag, null) : this.answer(ctx, 'hit', entry.etag, entry.body);
    }

    const page = await spec.compute();
    const body = Buffer.from(JSON.stringify(page));
    let etag = `W/"${base}"`;
    let outsideIds: string[] | null = null;
    let outsideTag = '';
    if (spec.outside) {
      outsideIds = spec.outside.of(page);
      outsideTag = await spec.outside.tag(outsideIds);
      etag = `W/"${base}-${outsideTag}"`;
    }
    this.keep({ key, keyTag, projectId: scope.projectId, seq, etag, body, bytes: body.length + key.length * 2 + ENTRY_OVERHEAD, outsideIds, outsideTag });
    return matches(wanted, etag) ? this.answer(ctx, 'not_modified', etag, null) : this.answer(ctx, 'miss', etag, body);
  }

  private answer(ctx: Context, outcome: ListCacheOutcome, etag: string, body: Buffer | null): PreparedReply {
    this.options.metrics?.listCache(outcome);
    ctx.set('ETag', etag);
    ctx.set('Cache-Control', LIST_HEADERS.cacheControl);
    ctx.vary(LIST_HEADERS.vary);
    return body ? new PreparedReply(200, body) : new PreparedReply(304, null);
  }

  private keep(entry: Entry): void {
    const max = this.options.maxBytes;
    // One page may take at most a quarter of the cache, so a huge list cannot flush everything else.
    if (max <= 0 || entry.bytes > max / 4) return;
    const old = this.pages.get(entry.key);
    if (old) this.remove(old);
    this.pages.set(entry.key, entry);
    let keys = this.byProject.get(entry.projectId);
    if (!keys) this.byProject.set(entry.projectId, (keys = new Set()));
    keys.add(entry.key);
    this.bytes += entry.bytes;
    for (const oldest of this.pages.values()) {
      if (this.bytes <= max) break;
      this.remove(oldest);
    }
    this.options.metrics?.listCacheBytes(this.bytes);
  }

  private remove(entry: Entry): void {
    if (this.pages.get(entry.key) !== entry) return;
    this.pages.delete(entry.key);
    this.bytes -= entry.bytes;
    const keys = this.byProject.get(entry.projectId);
    keys?.delete(entry.key);
    if (keys?.size === 0) this.byProject.delete(entry.projectId);
  }

  private dropProject(projectId: string): void {
    const keys = this.byProject.get(projectId);
    if (!keys) return;
    for (const key of keys) {
      const entry = this.pages.get(key);
      if (!entry) continue;
      this.pages.delete(key);
      this.bytes -= entry.bytes;
    }
    this.byProject.delete(projectId);
    this.options.metrics?.listCacheBytes(this.bytes);
  }
}

/** If-None-Match against one tag, by weak comparison (RFC 9110 13.1.2): `*`, or any listed tag with the same opaque part. */
export function matches(header: string, etag: string, star = true): boolean {
  if (!header) return false;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((raw) => {
    const tag = raw.trim();
    return (star && tag === '*') || tag.replace(/^W\//, '') === opaque;
  });
}

/** JSON with object keys sorted, so the same params and query always make the same key. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** A short tag of some strings, for the data a page shows from outside the feed. */
export function tagOf(parts: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}
