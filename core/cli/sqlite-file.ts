// Which SQLite file backup and restore act on: DATA_DIR/taskwire.sqlite from the
// same configuration the server reads. With MONGODB_URI the data is not in a
// file of ours, so these commands step aside for MongoDB's own tools.

import { join } from 'node:path';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { SQLITE_FILE } from '../store/index.js';

export interface SqliteTarget {
  config: Config;
  /** DATA_DIR/taskwire.sqlite */
  path: string;
}

export function sqliteTargetOrExit(command: 'backup' | 'restore'): SqliteTarget {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) exitWith(command, error.message);
    throw error;
  }
  if (config.mongodbUri) {
    const tool = command === 'backup' ? 'mongodump' : 'mongorestore';
    exitWith(command, `MONGODB_URI is set: the data lives in MongoDB, whose own ${tool} does this (see docs/deploy.md). This command handles the embedded SQLite store only.`);
  }
  return { config, path: join(config.dataDir, SQLITE_FILE) };
}

export function exitWith(command: string, message: string, code = 2): never {
  process.stderr.write(`${command}: ${message}\n`);
  process.exit(code);
}
