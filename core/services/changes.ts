// The change feed as a reader sees it: in seq order, with what it may not see
// (a private room's messages) reduced to {seq, type: "redacted"}.

import type { Actor } from '../domain/actor.js';
import { presentChange, presentRedacted, type ChangeView } from '../presenters/index.js';
import { projectAccess } from './access.js';
import type { ServiceDeps } from './deps.js';
import { roomVisibility } from './visibility.js';

export interface FeedPage {
  changes: ChangeView[];
  lastSeq: number;
}

export async function readFeed(deps: ServiceDeps, actor: Actor, projectId: string, since: number, limit: number): Promise<FeedPage> {
  const { subject } = await projectAccess(deps, actor, projectId, 'feed.read');
  // lastSeq first: every change up to it is committed, so the page and lastSeq never disagree about what exists.
  const lastSeq = await deps.store.changes.lastSeq(projectId);
  const changes = await deps.store.changes.list(projectId, since, limit);
  const visibility = await roomVisibility(deps, subject, projectId);
  return {
    changes: changes.filter((c) => c.seq <= lastSeq).map((c) => (visibility.canSeeChange(c) ? presentChange(c) : presentRedacted(c))),
    lastSeq,
  };
}
