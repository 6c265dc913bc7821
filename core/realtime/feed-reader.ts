// Feed pages for replay, with identical reads coalesced: after a restart or a
// network blip, thousands of sockets resubscribe from the same seq at once, and
// one store read (and one JSON parse per change) serves them all. Committed
// changes never change, so a shared page is never wrong, at most shorter than
// what exists by now (the subscription then reads on from where it got to).

import type { Change } from '../domain/entities.js';
import type { Store } from '../store/ports.js';

export const REPLAY_PAGE = 500;
const KEEP_MS = 2_000;

export type FeedReader = (projectId: string, since: number) => Promise<Change[]>;

export function coalescingFeedReader(store: Store): FeedReader {
  const pages = new Map<string, Promise<Change[]>>();
  return (projectId, since) => {
    const key = `${projectId}\u0000${since}`;
    let page = pages.get(key);
    if (!page) {
      page = store.changes.list(projectId, since, REPLAY_PAGE);
      pages.set(key, page);
      // An empty page is not kept: the next read from the same seq must see what was committed since.
      page.then(
        (changes) => (changes.length === 0 ? pages.delete(key) : setTimeout(() => pages.delete(key), KEEP_MS).unref()),
        () => pages.delete(key),
      );
    }
    return page;
  };
}
