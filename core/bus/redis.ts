// The bus for several nodes: Redis pub/sub, so a change committed on any node
// wakes the subscribers of every node. Chosen over socket.io's Redis adapter
// because sockets get per-recipient views (redaction) and replay from the feed:
// each node must see the change itself, not a pre-rendered broadcast.
//
// This node's own subscribers are served directly, so a Redis outage only
// delays other nodes. Pub/sub is fire-and-forget. When Redis is down, publish fails fast (no
// offline queue, the commit already happened) and subscribers catch up from the
// feed on their next tick; ioredis reconnects with backoff and resubscribes.

import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Change } from '../domain/entities.js';
import type { Logger } from '../logger.js';
import { Fanout } from './fanout.js';
import type { Bus, ControlEvent } from './ports.js';

const CHANGES = 'taskwire:changes';
const CONTROL = 'taskwire:control';

export async function createRedisBus(url: string, logger: Pick<Logger, 'error' | 'warn'>): Promise<Bus> {
  const options = {
    // Back off up to 2 s between reconnects, forever: the node keeps serving meanwhile.
    retryStrategy: (attempt: number) => Math.min(100 * attempt, 2000),
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    lazyConnect: true,
  };
  const publisher = new Redis(url, options);
  const subscriber = new Redis(url, { ...options, enableOfflineQueue: true, maxRetriesPerRequest: null });
  const changes = new Fanout<Change>(logger, 'change');
  const control = new Fanout<ControlEvent>(logger, 'control');
  let closed = false;
  const nodeId = randomUUID();

  for (const [name, client] of [['publisher', publisher], ['subscriber', subscriber]] as const) {
    let reported = false;
    client.on('error', (error: Error) => {
      // One line per outage, not one per reconnect attempt.
      if (!reported) logger.warn({ err: error, client: name }, 'Redis bus connection failed; retrying');
      reported = true;
    });
    client.on('ready', () => (reported = false));
  }

  subscriber.on('message', (channel: string, payload: string) => {
    let envelope: { from?: unknown; message?: unknown };
    try {
      envelope = JSON.parse(payload) as typeof envelope;
    } catch {
      logger.warn({ channel }, 'ignored a malformed bus message');
      return;
    }
    if (envelope.from === nodeId) return;
    if (channel === CHANGES) void changes.deliver(envelope.message as Change);
    else if (channel === CONTROL) void control.deliver(envelope.message as ControlEvent);
  });

  await Promise.all([publisher.connect(), subscriber.connect()]);
  await subscriber.subscribe(CHANGES, CONTROL);

  const send = async (channel: string, message: unknown) => {
    if (closed) return;
    try {
      await publisher.publish(channel, JSON.stringify({ from: nodeId, message }));
    } catch (error) {
      logger.warn({ err: error, channel }, 'Redis bus publish failed; subscribers will catch up from the feed');
    }
  };

  return {
    kind: 'redis',
    // Sent to Redis before this node's own fan-out (the command is on the wire when `send` returns its promise),
    // so the other nodes write their sockets while this one writes its own, not after.
    async publish(batch) {
      for (const change of batch) {
        const sent = send(CHANGES, change);
        await changes.deliver(change);
        await sent;
      }
    },
    subscribe: (handler) => changes.add(handler),
    async publishControl(event) {
      const sent = send(CONTROL, event);
      await control.deliver(event);
      await sent;
    },
    subscribeControl: (handler) => control.add(handler),
    ping: async () => {
      await publisher.ping();
    },
    close: async () => {
      closed = true;
      changes.clear();
      control.clear();
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
