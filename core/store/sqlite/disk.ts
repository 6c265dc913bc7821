// A write the disk refuses (full, read-only, failing) means the store is
// unavailable, not that the server is broken: callers get a 503 that says why,
// and /health reports the store as failing until a write goes through again.
// SQLite rolls the refused transaction back, so nothing half-written stays.

import type { Database } from 'better-sqlite3';
import { UnavailableError } from '../../errors.js';

const PROBLEMS: Record<string, string> = {
  SQLITE_FULL: 'the disk holding the database is full',
  SQLITE_READONLY: 'the database file or its folder is read-only',
  SQLITE_IOERR: 'the disk holding the database reported an I/O error',
  SQLITE_CANTOPEN: 'a database file cannot be opened',
  SQLITE_BUSY: 'the database is locked by another process',
};

/** What the disk refused, in words, for an error of better-sqlite3 (extended codes such as SQLITE_IOERR_WRITE too). */
export function diskProblem(error: unknown): string | null {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code !== 'string') return null;
  const primary = code.split('_').slice(0, 2).join('_');
  return PROBLEMS[primary] ?? null;
}

export class DiskHealth {
  private problem: string | null = null;

  constructor(private readonly db: Database) {}

  /** Runs a synchronous write; a disk problem becomes an UnavailableError and is kept for check(). */
  write<T>(run: () => T): T {
    try {
      const result = run();
      this.problem = null;
      return result;
    } catch (error) {
      const problem = diskProblem(error);
      if (problem === null) throw error;
      this.problem = problem;
      throw new UnavailableError(`The database cannot be written: ${problem}.`);
    }
  }

  /**
   * Throws while the last write was refused by the disk, unless a probe now goes through: a transaction that
   * changes the schema, which (unlike a read) needs the disk to take a write. Only runs after a refusal.
   */
  check(): void {
    if (this.problem !== null) this.probe();
  }

  /**
   * Throws UnavailableError unless the disk takes a write now. At open too: SQLite quietly opens a file it
   * cannot write read-only, and a store that only finds out at the first write cannot serve.
   */
  probe(): void {
    this.write(() => this.db.transaction(() => this.db.exec('CREATE TABLE health_probe (x); DROP TABLE health_probe;')).immediate());
  }
}
