// The purge's bulk deletes on MongoDB. Each call is one server operation
// (atomic per document, which is all a purge needs: running it again finishes
// whatever a cut-off run left). The feed goes through the committer, under the
// project's lease.

import type { PurgeRepo } from '../../ports.js';
import { GLOBAL_SCOPE } from '../commit.js';
import { driver, idOf, type Models, type Raw } from '../models.js';

/** How many ids one lookup of existing projects or rooms carries. */
const PAGE = 500;

const fieldOf = (field: string): string => (field === 'id' ? '_id' : field);

export function purgeRepo(models: Models, dropFeed: (projectId: string) => Promise<boolean>): PurgeRepo {
  /** The ids among `ids` that have no record in `collection`. */
  const missing = async (collection: 'projects' | 'rooms', ids: string[]): Promise<string[]> => {
    const found = await models.entities[collection].find({ _id: { $in: ids } }, { _id: 1 }).lean<Raw[]>();
    const existing = new Set(found.map(idOf));
    return ids.filter((id) => !existing.has(id));
  };

  return {
    ids: async (collection, field, value, limit) => {
      // A limit of 0 would mean "no limit" to the server.
      if (limit < 1) return [];
      const raws = await models.entities[collection].find({ [fieldOf(field)]: value }, { _id: 1 }).limit(limit).lean<Raw[]>();
      return raws.map(idOf);
    },
    deleteWhere: async (collection, field, values) => {
      if (values.length === 0) return 0;
      const { deletedCount } = await driver(models.entities[collection]).deleteMany({ [fieldOf(field)]: { $in: [...values] } });
      return deletedCount;
    },
    deletedProjects: async (limit) => {
      const gone: string[] = [];
      for (let after = ''; gone.length < limit; ) {
        const heads = await models.feeds.find({ _id: { $gt: after }, lastSeq: { $gt: 0 } }, { _id: 1 }).sort({ _id: 1 }).limit(PAGE).lean<Raw[]>();
        if (heads.length === 0) break;
        after = idOf(heads.at(-1)!);
        gone.push(...(await missing('projects', heads.map(idOf).filter((id) => id !== GLOBAL_SCOPE))));
      }
      return gone.slice(0, limit);
    },
    deletedRooms: async (limit) => {
      const roomIds = ((await models.entities.messages.distinct('roomId')) as string[]).toSorted();
      const gone: string[] = [];
      for (let i = 0; i < roomIds.length && gone.length < limit; i += PAGE) gone.push(...(await missing('rooms', roomIds.slice(i, i + PAGE))));
      return gone.slice(0, limit);
    },
    dropFeed,
  };
}
