// Feed pages for replay, with identical reads shared: after a restart or a
// network blip, thousands of sockets resubscribe from the same seq within
// seconds, and one store read (one JSON parse per change, and one encoding per
// change and view: encoding.ts caches by change object) serves them all.
// Committed changes never change, so a shared page is never wrong, at most
// shorter than what exists by now (the subscription then reads on from where it
// got to). A page is kept while it is being asked for, until KEEP_MS pass
// without a read, and at most MAX_PAGES of them.

import type { Change } from '../domain/entities.js';
import type { Store } from '../store/ports.js';

export const REPLAY_PAGE = 500;
const KEEP_MS = 2_000;
const MAX_PAGES = 64;

export type FeedReader = (projectId: string, since: number) => Promise<Change[]>;

interface Page {
  changes: Promise<Change[]>;
  usedAt: number;
}

export function coalescingFeedReader(store: Store): FeedReader {
  const pages = new Map<string, Page>();
  let sweeper: NodeJS.Timeout | null = null;
  const sweep = () => {
    const now = Date.now();
    for (const [key, page] of pages) if (now - page.usedAt >= KEEP_MS) pages.delete(key);
    sweeper = pages.size > 0 ? setTimeout(sweep, KEEP_MS).unref() : null;
  };
  return (projectId, since) => {
    const key = `${projectId}\u0000${since}`;
    const now = Date.now();
    const kept = pages.get(key);
    if (kept) {
      kept.usedAt = now;
      return kept.changes;
    }
    // The least recently added page goes first when there are too many (a storm has a handful).
    if (pages.size >= MAX_PAGES) pages.delete(pages.keys().next().value!);
    const page: Page = { changes: store.changes.list(projectId, since, REPLAY_PAGE), usedAt: now };
    pages.set(key, page);
    sweeper ??= setTimeout(sweep, KEEP_MS).unref();
    // An empty page is not kept: the next read from the same seq must see what was committed since.
    const forget = () => {
      if (pages.get(key) === page) pages.delete(key);
    };
    page.changes.then((changes) => changes.length === 0 && forget(), forget);
    return page.changes;
  };
}
