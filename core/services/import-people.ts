// Who is who in an imported project: people are matched by email to accounts
// of this instance, under the rule that adding a member by address follows
// (core/services/members.ts): only an account whose address was proven joins;
// anyone else is reported as skipped, and no invite is sent (an import must not
// mail a list of addresses on the importer's behalf; admins can invite them).

import type { Member, User } from '../domain/entities.js';
import { isVerified } from '../presenters/index.js';
import type { ProjectExport } from '../presenters/transfer.js';
import type { ServiceDeps } from './deps.js';
import { orderedIds } from './ordered-ids.js';
import type { Skipped } from '../presenters/transfer.js';
import { normalizeEmail } from './users.js';

export interface People {
  /** The member an address names in the new project, or null (unknown, unproven, or absent from the document). */
  idOf(email: string | null): string | null;
  /** The new project's members, the importer first, as owner. */
  members: Member[];
  skipped: Skipped[];
}

export async function matchPeople(deps: ServiceDeps, importer: User, projectId: string, doc: ProjectExport, now: string): Promise<People> {
  const ids = new Map<string, string>([[importer.email, importer.id]]);
  const skipped: Skipped[] = [];
  // Same creation time for all: their ids keep the document's order (listed by createdAt, then id).
  const memberIds = orderedIds(deps, doc.members.length + 1);
  const members: Member[] = [{ id: memberIds[0]!, projectId, userId: importer.id, role: 'owner', createdAt: now, updatedAt: now }];
  for (const [i, member] of doc.members.entries()) {
    const email = normalizeEmail(member.email);
    if (ids.has(email)) continue;
    const user = await deps.store.users.getByEmail(email);
    if (!user || !isVerified(user)) {
      skipped.push({ kind: 'member', email, reason: user ? 'the account\'s address is not verified here' : 'no account with this address here' });
      continue;
    }
    ids.set(email, user.id);
    members.push({ id: memberIds[i + 1]!, projectId, userId: user.id, role: member.role, createdAt: now, updatedAt: now });
  }
  return { idOf: (email) => (email === null ? null : (ids.get(normalizeEmail(email)) ?? null)), members, skipped };
}
