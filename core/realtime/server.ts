// socket.io on the HTTP server: handshake auth with the same tokens as HTTP,
// subscribe with replay, per-recipient views, presence, revocation, and limits
// so one bad client cannot hurt the others.

import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { Bus } from '../bus/ports.js';
import type { Actor, RequestActor } from '../domain/actor.js';
import type { PresenceTimings } from '../domain/presence.js';
import { AppError } from '../errors.js';
import { toProblems } from '../http/validate.js';
import { subjectIn } from '../services/access.js';
import type { ServiceDeps } from '../services/deps.js';
import { ChangeEncoder, sendEncoded } from './encoding.js';
import { FeedAccess } from './feed-access.js';
import { HandshakeAuth } from './handshake-auth.js';
import { Hub, type Subscriber } from './hub.js';
import type { PresenceTracker } from './presence-tracker.js';
import { coalescingFeedReader } from './feed-reader.js';
import { membershipEvent } from './membership.js';
import { ActivityPayload, SubscribePayload, UnsubscribePayload } from './schemas.js';
import { ProjectSubscription } from './subscription.js';
import { TurnBudget } from './turns.js';

export interface RealtimeOptions {
  presence: PresenceTimings;
  heartbeatMs: number;
  catchUpMs: number;
  presenceSweepMs: number;
  /** Events a socket may send per second before it gets rate_limited acks; 5 × that in one second disconnects it. */
  eventsPerSecond: number;
  maxPayloadBytes: number;
}

export const DEFAULT_REALTIME_OPTIONS: RealtimeOptions = {
  presence: { idleAfterMs: 2 * 60_000, inactiveAfterMs: 15 * 60_000, offlineAfterMs: 2_000 },
  heartbeatMs: 1_000,
  catchUpMs: 1_000,
  presenceSweepMs: 1_000,
  eventsPerSecond: 20,
  maxPayloadBytes: 16 * 1024,
};

export interface Realtime {
  io: Server;
  /** Tells clients to reconnect elsewhere, then closes every socket. */
  close(): Promise<void>;
}

export interface RealtimeDeps {
  http: HttpServer;
  services: ServiceDeps;
  bus: Bus;
  tracker: PresenceTracker;
  authenticate(token: string, origin: string | null, userToken: string | null): Promise<Actor | null>;
  options: RealtimeOptions;
}

type Reply = (reply: unknown) => void;

/** Replayed changes written per event-loop turn (about 10 ms of socket writes) before the loop polls for I/O again. */
const REPLAY_WRITES_PER_TURN = 2_000;

function errorReply(error: unknown): { ok: false; error: { code: string; message: string; details?: unknown[] } } {
  if (error instanceof AppError) return { ok: false, error: { code: error.code, message: error.message, details: error.details } };
  return { ok: false, error: { code: 'internal', message: 'Something went wrong on our side.' } };
}

const userRoom = (userId: string): string => `user:${userId}`;

/**
 * One socket's events in fixed one-second windows, the first starting at its first event: over the per-second
 * limit they get rate_limited acks, over five times that the socket is cut. Kept on the socket's own closure, not
 * in a limiter's map with a timer per socket (thousands of sockets resubscribing at once made thousands of timers).
 */
class EventWindow {
  private start = Number.NEGATIVE_INFINITY;
  private count = 0;

  hit(now: number): number {
    if (now - this.start >= 1000) {
      this.start = now;
      this.count = 0;
    }
    return ++this.count;
  }
}

export function attachRealtime(deps: RealtimeDeps): Realtime {
  const { services, options } = deps;
  const io = new Server(deps.http, { path: '/socket.io', maxHttpBufferSize: options.maxPayloadBytes, serveClient: false, cors: { origin: true } });
  const { tracker } = deps;
  const encoder = new ChangeEncoder(io);
  const hub = new Hub(services, deps.bus, tracker, { catchUpMs: options.catchUpMs, presenceSweepMs: options.presenceSweepMs }, encoder);
  const readFeed = coalescingFeedReader(services.store);
  const feedAccess = new FeedAccess(services);
  const replayTurns = new TurnBudget(REPLAY_WRITES_PER_TURN);
  const sockets = new Set<Socket>();
  const handshakeAuth = new HandshakeAuth(deps.authenticate);

  // The token arrives in the CONNECT packet, after allowRequest has run, so the origin of an embed
  // token is checked here, with the handshake's Origin header, before the socket exists.
  io.use(async (socket, next) => {
    const auth = (socket.handshake.auth ?? {}) as { token?: unknown; userToken?: unknown };
    const origin = typeof socket.handshake.headers.origin === 'string' ? socket.handshake.headers.origin : null;
    const userToken = typeof auth.userToken === 'string' ? auth.userToken : null;
    const actor = typeof auth.token === 'string' ? await handshakeAuth.authenticate(auth.token, origin, userToken).catch(() => null) : null;
    if (!actor) return next(new Error('unauthenticated'));
    socket.data.actor = actor;
    next();
  });

  const stopMembership = deps.bus.subscribe((change) => {
    const found = membershipEvent(change);
    if (found) io.to(userRoom(found.userId)).emit('membership', found.event);
  });

  deps.bus.subscribeControl((event) => {
    if (event.type === 'notification') {
      io.to(userRoom(event.userId)).emit('notification', event.notification);
      return;
    }
    if (event.type === 'notifications.read') {
      io.to(userRoom(event.userId)).emit('notifications.read', { ids: event.ids, unread: event.unread });
      return;
    }
    if (event.type !== 'tokens.revoked' && event.type !== 'embeds.revoked') return;
    handshakeAuth.forget();
    const ids = new Set(event.type === 'tokens.revoked' ? event.tokenIds : event.embedTokenIds);
    for (const socket of sockets) {
      const actor = socket.data.actor as RequestActor;
      const tokenId = actor.kind === 'user' ? actor.tokenId : actor.embedTokenId;
      if (ids.has(tokenId)) {
        socket.emit('revoked', { reason: 'token_revoked' });
        socket.disconnect(true);
      }
    }
  });

  io.on('connection', (socket) => {
    const actor = socket.data.actor as Actor;
    const userId = actor.kind === 'user' ? actor.userId : actor.userId;
    const subscribers = new Map<string, Subscriber>();
    sockets.add(socket);
    services.metrics?.socketOpened();
    if (userId) tracker.connect(userId);
    // A person's notifications reach every socket of theirs; embed visitors have no inbox.
    if (actor.kind === 'user') void socket.join(userRoom(actor.userId));

    const events = new EventWindow();
    const guard = (handler: (payload: unknown, reply: Reply) => Promise<void>) => async (payload: unknown, ack: unknown) => {
      const reply: Reply = typeof ack === 'function' ? (ack as Reply) : () => {};
      const count = events.hit(Date.now());
      if (count > options.eventsPerSecond * 5) {
        socket.disconnect(true);
        return;
      }
      if (count > options.eventsPerSecond) {
        reply({ ok: false, error: { code: 'rate_limited', message: 'Too many events; slow down.' } });
        return;
      }
      try {
        await handler(payload, reply);
      } catch (error) {
        if (!(error instanceof AppError)) services.logger.error({ err: error }, 'socket handler failed');
        reply(errorReply(error));
      }
    };

    const end = (projectId: string) => {
      const subscriber = subscribers.get(projectId);
      if (!subscriber) return;
      subscriber.subscription.close();
      hub.remove(subscriber);
      subscribers.delete(projectId);
    };

    socket.on(
      'subscribe',
      guard(async (payload, reply) => {
        const parsed = SubscribePayload.safeParse(payload);
        if (!parsed.success) return reply({ ok: false, error: { code: 'validation_failed', message: 'The subscribe payload is not valid.', details: toProblems(parsed.error, 'payload') } });
        const { projectId, since } = parsed.data;
        const { subject, latest } = await feedAccess.reader(actor, projectId);
        if (since !== undefined && since > latest) {
          return reply({ ok: false, error: { code: 'validation_failed', message: `since (${since}) is ahead of the feed (lastSeq ${latest}); resync.`, details: [{ path: 'since', message: 'is ahead of the feed' }] } });
        }
        // The socket may have gone while access was checked; its disconnect handler would never remove this one.
        if (socket.disconnected) return;
        end(projectId);
        const subscription = new ProjectSubscription(
          readFeed,
          {
            send: (change, view) => sendEncoded(socket, encoder.change(change, view)),
            visibility: (s, id) => feedAccess.visibility(s, id),
            role: async (_subject, id) => (await subjectIn(services, actor, id)).role,
            ended: (id, reason) => {
              end(id);
              socket.emit('unsubscribed', { projectId: id, reason });
            },
            failed: (id, error) => services.logger.warn({ err: error, projectId: id }, 'feed delivery failed; retrying on the next tick'),
            live: (change) => services.metrics?.changeEmitted(change.at),
            pace: (changes) => replayTurns.take(changes),
            // Without `since` nothing was asked back, so it is no replay (not even an empty one).
            replayed: (changes) => {
              if (since !== undefined) services.metrics?.replayed(changes);
            },
          },
          projectId,
          subject,
          since ?? latest,
          latest,
        );
        const subscriber: Subscriber = { subscription, send: (encoded) => sendEncoded(socket, encoded), emitPresence: (p) => socket.emit('presence', p) };
        subscribers.set(projectId, subscriber);
        hub.add(subscriber);
        reply({ ok: true, lastSeq: latest });
        subscription.wake(undefined, latest);
      }),
    );

    socket.on(
      'unsubscribe',
      guard(async (payload, reply) => {
        const parsed = UnsubscribePayload.safeParse(payload);
        if (!parsed.success) return reply({ ok: false, error: { code: 'validation_failed', message: 'The unsubscribe payload is not valid.', details: toProblems(parsed.error, 'payload') } });
        end(parsed.data.projectId);
        reply({ ok: true });
      }),
    );

    socket.on(
      'activity',
      guard(async (payload, reply) => {
        const parsed = ActivityPayload.safeParse(payload);
        if (!parsed.success) return reply({ ok: false, error: { code: 'validation_failed', message: 'The activity payload is not valid.', details: toProblems(parsed.error, 'payload') } });
        if (userId) tracker.activity(userId);
        reply({ ok: true });
      }),
    );

    socket.on('disconnect', () => {
      sockets.delete(socket);
      services.metrics?.socketClosed();
      for (const projectId of subscribers.keys()) end(projectId);
      if (userId) tracker.disconnect(userId);
    });
  });

  return {
    io,
    async close() {
      stopMembership();
      hub.close();
      // A hint first: the client library reconnects by itself after a transport close, to whichever node answers.
      io.emit('shutdown', { reconnect: true });
      // Closing the transport (not a socket.io disconnect) is what makes clients reconnect on their own.
      for (const socket of sockets) socket.conn.close();
      io.engine.close();
    },
  };
}
