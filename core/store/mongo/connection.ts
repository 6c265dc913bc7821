// The store's own mongoose connection (never mongoose's global default one).

import mongoose, { type ConnectOptions, type Connection } from 'mongoose';
import { UnavailableError } from '../../errors.js';

/** Without it a down server makes every call (and /health) hang for the driver's default 30 s. */
const SERVER_SELECTION_TIMEOUT_MS = 10_000;

export async function openConnection(uri: string): Promise<Connection> {
  const options: ConnectOptions = {
    autoIndex: false,
    autoCreate: false,
    // Fail fast instead of queueing commands while disconnected: the caller gets a 503 now, not a hang.
    bufferCommands: false,
  };
  if (!/[?&]serverSelectionTimeoutMS=/i.test(uri)) options.serverSelectionTimeoutMS = SERVER_SELECTION_TIMEOUT_MS;
  const connection = mongoose.createConnection(uri, options);
  try {
    return await connection.asPromise();
  } catch (error) {
    await connection.close(true).catch(() => undefined);
    // The driver's message names the host, never the credentials of the URI.
    throw new UnavailableError(`Cannot connect to MongoDB: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function pingServer(connection: Connection): Promise<void> {
  const db = connection.db;
  if (!db || connection.readyState !== mongoose.ConnectionStates.connected) throw new UnavailableError('The database connection is closed.');
  await db.admin().command({ ping: 1 });
}
