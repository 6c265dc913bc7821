// Where nodes share what they know of each user's connections, so presence is
// right across nodes and across a user's tabs on different nodes.

import type { PresenceReport } from '../domain/presence.js';

export interface PresenceStore {
  readonly kind: 'local' | 'redis';
  /** Records this node's view of a user; a node that stops reporting is forgotten after its reports go stale. */
  report(nodeId: string, userId: string, report: PresenceReport): Promise<void>;
  /** Every fresh report per user, from every node. */
  read(userIds: readonly string[]): Promise<Map<string, PresenceReport[]>>;
  close(): Promise<void>;
}
