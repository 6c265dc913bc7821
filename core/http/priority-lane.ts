// Requests whose deadline someone else sets (Slack wants its ack within 3 s, Discord its interaction answer,
// a load balancer its health check) are handled as soon as Node has read them; every other request waits in a
// queue that is worked one request per event-loop turn.
//
// Why: Node runs every request that became readable in one turn before it looks at the sockets again, and it
// accepts one new connection per turn. Under a read burst a turn lasts as long as answering all of those reads,
// so a Slack command that arrives in the middle waited for the whole burst, on a new connection for several
// bursts. Queued, each read costs the same, but the poll phase comes round between any two of them: an urgent
// request waits at most for the one read in progress, and new connections are accepted as they come.

import type { IncomingMessage, ServerResponse } from 'node:http';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface PriorityLane {
  /** The handler to give node:http's createServer. */
  readonly handle: RequestHandler;
  /** Requests read but not yet started. */
  readonly waiting: () => number;
}

/** Paths a platform calls with a short deadline, and the health check probes poll. */
export function isUrgentRequest(req: IncomingMessage): boolean {
  const path = (req.url ?? '').split('?', 1)[0];
  return path === '/slack/events' || path === '/discord/interactions' || path === '/health';
}

export function priorityLane(handler: RequestHandler, isUrgent: (req: IncomingMessage) => boolean = isUrgentRequest): PriorityLane {
  const queue: Array<[IncomingMessage, ServerResponse] | undefined> = [];
  let head = 0;
  let scheduled = false;

  const pump = (): void => {
    scheduled = false;
    // One per turn: what the handler does without waiting for I/O (its microtasks included) finishes before the
    // next turn's poll phase, where urgent requests and new connections are taken.
    while (head < queue.length) {
      const next = queue[head]!;
      queue[head++] = undefined;
      const [req, res] = next;
      if (req.socket.destroyed) continue;
      handler(req, res);
      break;
    }
    if (head < queue.length) {
      scheduled = true;
      setImmediate(pump);
    } else {
      queue.length = 0;
      head = 0;
    }
  };

  return {
    handle(req, res) {
      if (isUrgent(req)) {
        handler(req, res);
        return;
      }
      queue.push([req, res]);
      if (!scheduled) {
        scheduled = true;
        setImmediate(pump);
      }
    },
    waiting: () => queue.length - head,
  };
}
