// In-process fan-out for a single node: every subscriber of this process gets
// every published change, in publish order. A failing subscriber is logged and
// does not keep the change from the others.

import type { Logger } from '../logger.js';
import type { Bus, ChangeHandler } from './ports.js';

export function createLocalBus(logger: Pick<Logger, 'error'>): Bus {
  const handlers = new Set<ChangeHandler>();
  let closed = false;
  return {
    kind: 'local',
    async publish(changes) {
      if (closed) return;
      for (const change of changes) {
        for (const handler of handlers) {
          try {
            await handler(change);
          } catch (error) {
            logger.error({ err: error, type: change.type, seq: change.seq }, 'a change subscriber failed');
          }
        }
      }
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    ping: async () => {
      if (closed) throw new Error('the bus is closed');
    },
    close: async () => {
      closed = true;
      handlers.clear();
    },
  };
}
