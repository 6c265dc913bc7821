// A `change` event encoded once and written as is to every socket that gets the
// same view of it: the socket.io packet (and, on WebSocket, the frame) is built
// once per (change, view), not once per socket. Live fan-out sends one encoding
// to all caught-up subscribers; a replay page shared by a reconnect storm
// (feed-reader.ts) is encoded once per change and view for all of them.

import type { Server, Socket } from 'socket.io';
import type { Change } from '../domain/entities.js';
import { presentChange, presentRedacted } from '../presenters/index.js';

export type View = 'full' | 'redacted';

/** What the engine writes for one event: socket.io's packet strings and the write options (a precomputed frame). */
export interface Encoded {
  readonly packets: readonly unknown[];
  readonly opts: Record<string, unknown>;
  /** The whole WebSocket frame in one buffer, when socket.io could precompute it (no binary, no compression). */
  readonly frame: Buffer | null;
}

// socket.io-parser's EVENT packet type.
const EVENT = 2;

// socket.io-adapter's own encoder for broadcasts (it adds the precomputed WebSocket frame to the options).
type PreEncode = (packet: unknown, opts: Record<string, unknown>) => unknown[];

export class ChangeEncoder {
  private readonly io: Server;
  /** Encodings of a change object, per view; pages of the feed are shared, so their changes are too. */
  private readonly cache = new WeakMap<Change, Partial<Record<View, Encoded>>>();

  constructor(io: Server) {
    this.io = io;
  }

  /** The `change` event of `change` as `view` sees it, encoded once per change object and view. */
  change(change: Change, view: View): Encoded {
    let byView = this.cache.get(change);
    if (!byView) this.cache.set(change, (byView = {}));
    return (byView[view] ??= this.event('change', { projectId: change.projectId, ...(view === 'full' ? presentChange(change) : presentRedacted(change)) }));
  }

  /** Encodes one event as the in-memory adapter does for a broadcast (with the WebSocket frame when it can). */
  event(name: string, payload: unknown): Encoded {
    const packet = { type: EVENT, nsp: '/', data: [name, payload] };
    const opts: Record<string, unknown> = { preEncoded: true };
    const adapter = this.io.of('/').adapter as unknown as Record<string, unknown>;
    const preEncode = adapter['_encode'];
    const packets = typeof preEncode === 'function' ? (preEncode as PreEncode).call(adapter, packet, opts) : (this.io.encoder.encode(packet) as unknown[]);
    const parts = opts['wsPreEncodedFrame'];
    const frame = packets.length === 1 && Array.isArray(parts) && parts.every((part) => Buffer.isBuffer(part)) ? Buffer.concat(parts as Buffer[]) : null;
    return { packets, opts, frame };
  }
}

// The parts of engine.io and ws a direct frame write depends on; any of them missing means the ordinary path.
// ws keeps its sender and TCP socket in underscored fields (engine.io reaches the sender the same way).
interface Wire {
  destroyed?: boolean;
  writable?: boolean;
  write(data: Buffer): boolean;
}
interface WsSocket {
  readyState?: number;
  ['_sender']?: { ['_queue']?: unknown[]; ['_state']?: number };
  ['_socket']?: Wire;
}
interface EngineConn {
  readyState: string;
  writeBuffer?: unknown[];
  transport?: { name?: string; writable?: boolean; perMessageDeflate?: unknown; socket?: WsSocket };
  write(data: unknown, opts: Record<string, unknown>): void;
}

/**
 * The net socket under a WebSocket connection that may take a frame now: engine.io has nothing queued or in
 * flight (so the frame cannot overtake an earlier packet), no compression, ws has nothing queued. Otherwise null.
 */
function idleWire(conn: EngineConn): Wire | null {
  const transport = conn.transport;
  if (transport?.name !== 'websocket' || transport.writable !== true || transport.perMessageDeflate || conn.writeBuffer?.length !== 0) return null;
  const ws = transport.socket;
  const sender = ws?.['_sender'];
  const wire = ws?.['_socket'];
  if (ws?.readyState !== 1 || !sender || (sender['_queue']?.length ?? 0) !== 0 || (sender['_state'] ?? 0) !== 0) return null;
  if (!wire || wire.destroyed || wire.writable === false || typeof wire.write !== 'function') return null;
  return wire;
}

/** Whether a frame written to `socket` now would go straight to its TCP socket (for tests: the internals are still there). */
export function writesDirectly(socket: Socket): boolean {
  return socket.connected && idleWire(socket.conn as unknown as EngineConn) !== null;
}

/**
 * Writes an encoded event to one socket, as socket.emit would (nothing once the socket or its transport closed).
 * On an idle WebSocket the precomputed frame goes straight to the TCP socket: one write of one shared buffer, none
 * of engine.io's per-packet objects, events and write callbacks (what engine.io itself does with the frame, minus
 * its bookkeeping). Anything else goes through engine.io, which queues behind whatever is in flight.
 */
export function sendEncoded(socket: Socket, encoded: Encoded): void {
  if (!socket.connected) return;
  const conn = socket.conn as unknown as EngineConn;
  if (conn.readyState !== 'open') return;
  const wire = encoded.frame ? idleWire(conn) : null;
  if (wire) {
    wire.write(encoded.frame!);
    return;
  }
  for (const packet of encoded.packets) conn.write(packet, encoded.opts);
}
