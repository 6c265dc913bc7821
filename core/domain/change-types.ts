// The change types of the feed that outside listeners (webhooks, plugins) may
// subscribe to, and how a subscription's patterns match them.

/** The change types webhooks and plugins may subscribe to; `<entity>.*` covers an entity's types. */
export const CHANGE_TYPES = [
  'project.updated', 'member.added', 'member.updated', 'member.removed', 'member.invited', 'member.invite_revoked',
  'task.created', 'task.updated', 'task.moved', 'task.deleted',
  'room.created', 'room.updated', 'room.deleted', 'room.member_added', 'room.member_removed',
  'message.created', 'message.updated', 'message.deleted',
  'plugin.updated',
] as const;

export function isKnownPattern(pattern: string): boolean {
  if (pattern.endsWith('.*')) return CHANGE_TYPES.some((type) => type.startsWith(pattern.slice(0, -1)));
  return (CHANGE_TYPES as readonly string[]).includes(pattern);
}

export function matchesEvents(events: readonly string[], type: string): boolean {
  return events.some((pattern) => pattern === type || (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1))));
}

