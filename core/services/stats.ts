// The instance's figures for its admins: accounts and projects from the store,
// sockets and queue depth from the parts that own them (injected, since
// services know neither sockets nor the queue).

import type { Actor } from '../domain/actor.js';
import type { StatsView } from '../presenters/index.js';
import { requireInstanceAdmin } from './admin.js';
import type { ServiceDeps } from './deps.js';

export interface InstanceFigures {
  sockets(): number;
  queue(): Promise<StatsView['queue']>;
}

export async function instanceStats(deps: ServiceDeps, actor: Actor, figures: InstanceFigures): Promise<StatsView> {
  requireInstanceAdmin(actor);
  const [users, projects, queue] = await Promise.all([deps.store.users.count(), deps.store.projects.count(), figures.queue()]);
  return { users, projects, sockets: figures.sockets(), queue };
}
