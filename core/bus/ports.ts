// The Bus port: committed changes go out to every subscriber (realtime, bridges,
// jobs, plugins) after the store commits them. Delivery order per project is
// the commit order; subscribers that need certainty re-read the feed by seq.

import type { Change } from '../store/entities.js';

export type ChangeHandler = (change: Change) => void | Promise<void>;

export interface Bus {
  readonly kind: 'local' | 'redis';
  publish(changes: readonly Change[]): Promise<void>;
  /** Returns the function that ends the subscription. */
  subscribe(handler: ChangeHandler): () => void;
  ping(): Promise<void>;
  close(): Promise<void>;
}
