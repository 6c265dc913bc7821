// Users and their API/session tokens.

import type { TokensRepo, UsersRepo } from '../../ports.js';
import { isPlaceholderRef } from '../codec.js';
import { BY_CREATED, type Reads } from '../reads.js';

export function usersRepo(reads: Reads): UsersRepo {
  return {
    get: (id) => reads.one('users', { _id: id }),
    getByEmail: (email) => reads.one('users', { email }),
    // A placeholder is how "no reference" is stored; it must not find anyone.
    getByExternalRef: async (ref) => (isPlaceholderRef(ref) ? null : reads.one('users', { externalRef: ref })),
    getMany: async (ids) => (ids.length === 0 ? [] : reads.many('users', { _id: { $in: [...new Set(ids)] } }, { _id: 1 })),
    list: (page) => reads.pageByCreated('users', {}, page),
    search: (q, page) => {
      const pattern = new RegExp(q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
      return reads.pageByCreated('users', { $or: [{ email: pattern }, { name: pattern }] }, page);
    },
    count: () => reads.models.entities.users.countDocuments({}),
  };
}

export function tokensRepo(reads: Reads): TokensRepo {
  return {
    get: (id) => reads.one('tokens', { _id: id }),
    getByHash: (tokenHash) => reads.one('tokens', { tokenHash }),
    listByUser: (userId) => reads.many('tokens', { userId }, BY_CREATED),
    touch: async (id, at) => {
      await reads.models.entities.tokens.updateOne({ _id: id }, { $set: { lastUsedAt: at } });
    },
  };
}
