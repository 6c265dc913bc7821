// In-process bus for a single node: every subscriber of this process gets every
// published change and control event, in publish order.

import type { Change } from '../domain/entities.js';
import type { Logger } from '../logger.js';
import { Fanout } from './fanout.js';
import type { Bus, ControlEvent } from './ports.js';

export function createLocalBus(logger: Pick<Logger, 'error'>): Bus {
  const changes = new Fanout<Change>(logger, 'change');
  const control = new Fanout<ControlEvent>(logger, 'control');
  let closed = false;
  return {
    kind: 'local',
    async publish(batch) {
      if (closed) return;
      for (const change of batch) await changes.deliver(change);
    },
    subscribe: (handler) => changes.add(handler),
    async publishControl(event) {
      if (!closed) await control.deliver(event);
    },
    subscribeControl: (handler) => control.add(handler),
    ping: async () => {
      if (closed) throw new Error('the bus is closed');
    },
    close: async () => {
      closed = true;
      changes.clear();
      control.clear();
    },
  };
}
