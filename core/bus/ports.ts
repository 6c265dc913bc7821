// The Bus port: committed changes go out to every subscriber (realtime, bridges,
// jobs, plugins) after the store commits them, plus control events that are not
// feed entries (a revoked token must cut sockets on every node). Delivery is a
// wake-up with the payload, not the guarantee: subscribers that must not miss a
// change re-read the feed by seq, so a lost bus message only delays.

import type { Change } from '../domain/entities.js';

export type ChangeHandler = (change: Change) => void | Promise<void>;

export type ControlEvent =
  /** These tokens stop working: sockets authenticated with them are disconnected. */
  | { type: 'tokens.revoked'; tokenIds: string[] }
  /** Embed tokens deleted: their visitors' sockets are disconnected. */
  | { type: 'embeds.revoked'; embedTokenIds: string[] }
  /** A user's connections or activity changed on some node: recompute their presence. */
  | { type: 'presence.changed'; userId: string }
  /** A user's notification preferences changed: their reminders are derived again. */
  | { type: 'notify.changed'; userId: string }
  /** A notification for a user: pushed to that user's sockets on every node. */
  | { type: 'notification'; userId: string; notification: Record<string, unknown> }
  /** Some of a user's notifications were marked read (in another tab, on another device): their badges follow. */
  | { type: 'notifications.read'; userId: string; ids: string[]; unread: number };

export type ControlHandler = (event: ControlEvent) => void | Promise<void>;

export interface Bus {
  readonly kind: 'local' | 'redis';
  publish(changes: readonly Change[]): Promise<void>;
  /** Returns the function that ends the subscription. */
  subscribe(handler: ChangeHandler): () => void;
  publishControl(event: ControlEvent): Promise<void>;
  subscribeControl(handler: ControlHandler): () => void;
  ping(): Promise<void>;
  close(): Promise<void>;
}
