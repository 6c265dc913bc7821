// Puts a backup in place of the database in DATA_DIR, only when no process has
// that database open. A Taskwire server or worker keeps its WAL connection open
// for its whole life, and a WAL connection holds a shared lock on the file, so
// an exclusive lock that cannot be had means one is running.

import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ALL_PAGES } from './backup.js';
import { checkTaskwireDatabase, type DatabaseCheck } from './verify.js';

export class DatabaseInUseError extends Error {
  constructor(path: string) {
    super(`${path} is open in another process (a running Taskwire server or worker?); stop it first`);
    this.name = 'DatabaseInUseError';
  }
}

export interface Restored extends DatabaseCheck {
  /** Where the database that was replaced now lies, if there was one. */
  previous: string | null;
}

export async function restoreSqlite(backup: string, target: string, now: Date = new Date()): Promise<Restored> {
  const check = checkTaskwireDatabase(backup);
  mkdirSync(dirname(target), { recursive: true });
  const incoming = `${target}.restoring`;
  rmSync(incoming, { force: true });
  const exists = existsSync(target);
  const guard = exists ? lockExclusively(target) : null;
  let previous: string | null = null;
  try {
    // Through the backup API rather than a file copy, so a -wal lying beside the backup is included.
    const source = new Database(backup, { readonly: true, fileMustExist: true });
    try {
      await source.backup(incoming, { progress: () => ALL_PAGES });
    } finally {
      source.close();
    }
  } catch (error) {
    guard?.close();
    rmSync(incoming, { force: true });
    throw error;
  }
  if (exists) {
    // Closing folds the old WAL into the old file, which is kept aside rather than deleted.
    guard?.close();
    previous = `${target}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
    renameSync(target, previous);
  }
  // A -wal or -shm left by a crashed server belongs to the old file; next to the new one it would corrupt it.
  rmSync(`${target}-wal`, { force: true });
  rmSync(`${target}-shm`, { force: true });
  renameSync(incoming, target);
  return { ...check, previous };
}

/** An open connection holding the file's exclusive lock; null when the file is no database (no server can be using it). */
function lockExclusively(path: string): Database.Database | null {
  const db = new Database(path, { fileMustExist: true, timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    // Exclusive locking mode takes the lock at the first read and keeps it until close.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return db;
  } catch (error) {
    db.close();
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_BUSY') throw new DatabaseInUseError(path);
    if (code === 'SQLITE_NOTADB') return null;
    throw error;
  }
}
