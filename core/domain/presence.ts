// Presence states of shared/API.md, from what the nodes report about a user.

export type PresenceState = 'active' | 'idle' | 'inactive' | 'offline';

export interface PresenceTimings {
  /** No input for this long → idle (2 min). */
  idleAfterMs: number;
  /** No input for this long → inactive (15 min). */
  inactiveAfterMs: number;
  /** After the last socket closes, offline once this has passed (a reload does not flicker). */
  offlineAfterMs: number;
}

export const DEFAULT_PRESENCE_TIMINGS: PresenceTimings = { idleAfterMs: 2 * 60_000, inactiveAfterMs: 15 * 60_000, offlineAfterMs: 2_000 };

/** What one node knows of one user. */
export interface PresenceReport {
  connections: number;
  /** Last input (epoch ms), or the connect time before any input. */
  lastActivityAt: number;
  /** When connections last dropped to 0 on that node (epoch ms), else null. */
  disconnectedAt: number | null;
}

export function presenceState(reports: readonly PresenceReport[], now: number, timings: PresenceTimings): PresenceState {
  const connected = reports.some((r) => r.connections > 0);
  const lastDisconnect = Math.max(0, ...reports.map((r) => r.disconnectedAt ?? 0));
  if (!connected && (reports.length === 0 || now - lastDisconnect >= timings.offlineAfterMs)) return 'offline';
  const lastActivity = Math.max(0, ...reports.map((r) => r.lastActivityAt));
  const quiet = now - lastActivity;
  if (quiet >= timings.inactiveAfterMs) return 'inactive';
  if (quiet >= timings.idleAfterMs) return 'idle';
  return 'active';
}
