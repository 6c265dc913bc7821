// Read helpers shared by the repositories: lean queries mapped back to plain
// entities, and keyset paging by (createdAt, id).

import type { CollectionName, Entities } from '../entities.js';
import { decodeCursor, encodeCursor, type CursorKey } from '../cursor.js';
import type { Page, PageRequest } from '../ports.js';
import { fromStored } from './codec.js';
import type { Models, Raw } from './models.js';

export type Filter = Record<string, unknown>;
export type Sort = Record<string, 1 | -1>;

export const BY_CREATED: Sort = { createdAt: 1, _id: 1 };

export class Reads {
  constructor(readonly models: Models) {}

  async one<C extends CollectionName>(collection: C, filter: Filter): Promise<Entities[C] | null> {
    const raw = await this.models.entities[collection].findOne(filter).lean<Raw>();
    return raw ? fromStored(collection, raw) : null;
  }

  async many<C extends CollectionName>(collection: C, filter: Filter, sort: Sort, limit?: number): Promise<Entities[C][]> {
    const query = this.models.entities[collection].find(filter).sort(sort);
    if (limit !== undefined) query.limit(limit);
    const raws = await query.lean<Raw[]>();
    return raws.map((raw) => fromStored(collection, raw));
  }

  /** Pages (createdAt, id) ascending over the records matching `filter`. */
  async pageByCreated<C extends CollectionName>(collection: C, filter: Filter, page: PageRequest): Promise<Page<Entities[C]>> {
    if (page.limit < 1) return { items: [], nextCursor: null };
    const conditions: Filter[] = [filter];
    if (page.cursor) {
      const [createdAt, id] = decodeCursor(page.cursor, ['string', 'string']);
      conditions.push({ $or: [{ createdAt: { $gt: createdAt } }, { createdAt, _id: { $gt: id } }] });
    }
    const items = await this.many(collection, { $and: conditions }, BY_CREATED, page.limit + 1);
    return finishPage(items, page.limit, (last) => {
      const { createdAt, id } = last as { createdAt: string; id: string };
      return [createdAt, id];
    });
  }
}

export const NEWEST_FIRST: Sort = { createdAt: -1, _id: -1 };

/** Pages (createdAt, id) descending over the records matching `filter`. */
export async function pageNewestFirst<C extends CollectionName>(reads: Reads, collection: C, filter: Filter, page: PageRequest): Promise<Page<Entities[C]>> {
  if (page.limit < 1) return { items: [], nextCursor: null };
  const conditions: Filter[] = [filter];
  if (page.cursor) {
    const [createdAt, id] = decodeCursor(page.cursor, ['string', 'string']);
    conditions.push({ $or: [{ createdAt: { $lt: createdAt } }, { createdAt, _id: { $lt: id } }] });
  }
  const items = await reads.many(collection, { $and: conditions }, NEWEST_FIRST, page.limit + 1);
  return finishPage(items, page.limit, (last) => {
    const { createdAt, id } = last as { createdAt: string; id: string };
    return [createdAt, id];
  });
}

/** Cuts the one extra item fetched to learn whether another page follows. */
export function finishPage<T>(items: T[], limit: number, key: (last: T) => CursorKey): Page<T> {
  if (items.length <= limit) return { items, nextCursor: null };
  const kept = items.slice(0, limit);
  return { items: kept, nextCursor: encodeCursor(key(kept[kept.length - 1]!)) };
}
