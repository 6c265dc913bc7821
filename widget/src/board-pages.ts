// What the page reads a page at a time. The board's tasks (a big board is never
// read whole): each column's count under the filter (GET …/columns) and its
// first page (Done from its end), later pages as the board scrolls, and the
// counts again when the page cannot know them (a live change to a card it never
// loaded). A room's messages: the newest page, then older ones.

import type { RestClient } from './rest.js';
import type { LiveStore } from './store.js';

export class BoardPages {
  private recountTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly rest: RestClient,
    private readonly projectId: string,
    private readonly store: LiveStore,
    /** Tells the elements the board changed. */
    private readonly changed: () => void,
  ) {}

  /** Every column's count and first page, under the store's filter: the board starts over. */
  async load(): Promise<void> {
    const counts = await this.rest.columns(this.projectId, { ...this.store.filter });
    this.store.clearBoard(new Map(counts.map((c) => [c.key, c.count])));
    await Promise.all(counts.map((c) => this.more(c.key)));
  }

  /** The next page of a column's run (one load at a time per column). */
  more(status: string, limit = 100): Promise<void> {
    const store = this.store;
    const col = store.cols.get(status);
    if (!col || (col.edge && !col.cursor)) return Promise.resolve();
    return (col.loading ??= (async () => {
      try {
        const page = await this.rest.tasks(this.projectId, { status, limit, cursor: col.cursor ?? undefined, order: col.fromEnd ? 'reverse' : undefined, ...store.filter });
        // A filter change or a new snapshot started the column over meanwhile: this page is of the old one.
        if (store.cols.get(status) === col) store.addPage(status, page);
        if (!page.items.length) col.cursor = null;
      } finally {
        col.loading = undefined;
        this.changed();
      }
    })());
  }

  /** Reads the column counts again, soon: several changes in a row cost one request. */
  recount(): void {
    clearTimeout(this.recountTimer);
    this.recountTimer = setTimeout(async () => {
      try {
        for (const c of await this.rest.columns(this.projectId, this.store.filter)) {
          const col = this.store.cols.get(c.key);
          if (col) col.total = c.count;
        }
        this.changed();
      } catch {
        // The next change, or reconnect, counts again.
      }
    }, 150);
  }

  /** Nobody shows this board any more (or may read it): no count asked for just before is wanted. */
  stop(): void {
    clearTimeout(this.recountTimer);
  }
}

/** Loads the newest page of a room (once), or the next older page. */
export async function loadHistory(rest: RestClient, store: LiveStore, roomId: string, older: boolean, changed: () => void): Promise<void> {
  const history = store.histories.get(roomId);
  if (history?.loading) return;
  if (!older && history?.loaded) return;
  if (older && !history?.nextCursor) return;
  const entry = history ?? { items: [], nextCursor: null, loaded: false, loading: true };
  entry.loading = true;
  store.histories.set(roomId, entry);
  try {
    const page = await rest.messages(roomId, older ? entry.nextCursor : null);
    store.addHistoryPage(roomId, page, older);
  } catch (error) {
    entry.loading = false;
    throw error;
  } finally {
    changed();
  }
}
