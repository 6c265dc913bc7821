// The change feed's read side. A reader looks at the feed head first and never
// above it: entries above lastSeq belong to a unit not (yet) committed.

import type { ChangesRepo } from '../../ports.js';
import { changeFromStored } from '../codec.js';
import type { Models, Raw } from '../models.js';

export function changesRepo(models: Models): ChangesRepo {
  const lastSeq = async (projectId: string): Promise<number> => {
    const feed = await models.feeds.findById(projectId, { lastSeq: 1 }).lean<Raw>();
    return (feed?.lastSeq as number | undefined) ?? 0;
  };
  return {
    lastSeq,
    list: async (projectId, since, limit) => {
      const head = await lastSeq(projectId);
      if (limit < 1 || since >= head) return [];
      const raws = await models.changes
        .find({ projectId, seq: { $gt: since, $lte: head } })
        .sort({ seq: 1 })
        .limit(limit)
        .lean<Raw[]>();
      return raws.map(changeFromStored);
    },
  };
}
