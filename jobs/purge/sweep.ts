// The purge's one move: delete a key's records batch by batch, each batch's
// dependants (copies, cursors, deliveries) before the batch itself. So a purge
// cut off anywhere never leaves a dependant whose parent is already gone, and
// running it again finds everything that is left.

import type { PurgeCollection, PurgeKeys, Store } from '../../core/store/ports.js';

/** How many records of a collection one batch deletes. */
export const PURGE_BATCH = 200;

/** Records deleted per collection, for the log. */
export type PurgeCounts = Partial<Record<PurgeCollection, number>>;

export interface Sweeper {
  /** Deletes every record of `collection` whose `field` is `value`; `before` removes what each batch's records own. */
  sweep<C extends PurgeCollection>(collection: C, field: PurgeKeys[C], value: string, before?: (ids: string[]) => Promise<void>): Promise<void>;
  /** Deletes the records of `collection` whose `field` is one of `values` (a batch's dependants). */
  drop<C extends PurgeCollection>(collection: C, field: PurgeKeys[C] | 'id', values: readonly string[]): Promise<void>;
  readonly counts: PurgeCounts;
}

export function sweeper(store: Store, batch: number = PURGE_BATCH): Sweeper {
  const counts: PurgeCounts = {};
  const tally = (collection: PurgeCollection, deleted: number): void => {
    if (deleted > 0) counts[collection] = (counts[collection] ?? 0) + deleted;
  };
  return {
    counts,
    async sweep(collection, field, value, before) {
      // Another purge of the same key may take a batch first; a store that keeps refusing must not spin here.
      for (let idle = 0; idle < 3; ) {
        const ids = await store.purge.ids(collection, field, value, batch);
        if (ids.length === 0) return;
        await before?.(ids);
        const deleted = await store.purge.deleteWhere(collection, 'id', ids);
        tally(collection, deleted);
        idle = deleted === 0 ? idle + 1 : 0;
      }
      throw new Error(`the purge of ${collection} with ${field} ${value} deletes nothing`);
    },
    async drop(collection, field, values) {
      tally(collection, await store.purge.deleteWhere(collection, field, values));
    },
  };
}
