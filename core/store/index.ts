// Picks the store for this run: MongoDB when MONGODB_URI is set, else the embedded SQLite file.

import { join } from 'node:path';
import type { Config } from '../config.js';
import { createMongoStore } from './mongo/index.js';
import type { Store } from './ports.js';
import { createSqliteStore } from './sqlite/index.js';

export const SQLITE_FILE = 'taskwire.sqlite';

export async function openStore(config: Pick<Config, 'mongodbUri' | 'dataDir'>): Promise<Store> {
  if (config.mongodbUri) return createMongoStore({ uri: config.mongodbUri });
  return createSqliteStore({ path: join(config.dataDir, SQLITE_FILE) });
}
