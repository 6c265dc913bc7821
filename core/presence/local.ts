// Presence for a single node: the reports live in this process.

import type { PresenceReport } from '../domain/presence.js';
import type { PresenceStore } from './ports.js';

export function createLocalPresenceStore(): PresenceStore {
  const reports = new Map<string, Map<string, PresenceReport>>();
  return {
    kind: 'local',
    report: async (nodeId, userId, report) => {
      let byNode = reports.get(userId);
      if (!byNode) reports.set(userId, (byNode = new Map()));
      byNode.set(nodeId, { ...report });
    },
    read: async (userIds) => new Map(userIds.map((id) => [id, [...(reports.get(id)?.values() ?? [])]])),
    close: async () => reports.clear(),
  };
}
