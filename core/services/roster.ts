// A project's whole membership, read page by page (projects can outgrow one page).

import type { Member } from '../domain/entities.js';
import type { Page } from '../store/ports.js';
import type { ServiceDeps } from './deps.js';

export async function allMembers(deps: ServiceDeps, projectId: string): Promise<Member[]> {
  const members: Member[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<Member> = await deps.store.members.listByProject(projectId, { limit: 200, cursor });
    members.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return members;
}
