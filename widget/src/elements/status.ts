import type { ConnectionState } from '../events.js';

const LABELS: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  resynced: 'Resynced',
  unauthorized: 'Not authorized',
  error: 'Unavailable',
};

export const stateLabel = (state: ConnectionState): string => LABELS[state];
