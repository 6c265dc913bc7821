// A consistent copy of the live database while servers keep writing. SQLite's
// online backup API copies every page in one step here: that step is one read
// transaction, so it sees a single committed snapshot (WAL readers never block
// writers), where page batches would restart each time another process commits.

import { chmodSync, existsSync, renameSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { checkTaskwireDatabase, type DatabaseCheck } from './verify.js';

/** better-sqlite3's largest step: the whole database in one sqlite3_backup_step. */
export const ALL_PAGES = 0x7fffffff;

export class BackupTargetExistsError extends Error {
  constructor(path: string) {
    super(`${path} already exists; choose a new file name or pass --force to replace it`);
    this.name = 'BackupTargetExistsError';
  }
}

export async function backupSqlite(source: string, target: string, options: { force?: boolean } = {}): Promise<DatabaseCheck> {
  if (!options.force && existsSync(target)) throw new BackupTargetExistsError(target);
  // Written aside and renamed, so a failed or interrupted backup never leaves a file that looks complete.
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  try {
    const db = new Database(source, { readonly: true, fileMustExist: true });
    try {
      await db.backup(partial, { progress: () => ALL_PAGES });
    } finally {
      db.close();
    }
    selfContained(partial);
    // It holds password and token hashes: readable by the owner only, whatever the umask.
    chmodSync(partial, 0o600);
    const check = checkTaskwireDatabase(partial);
    renameSync(partial, target);
    return check;
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

/** The copy keeps the live file's WAL mode; a rollback-journal file is one file to move around, with no -wal to forget. */
function selfContained(path: string): void {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}
