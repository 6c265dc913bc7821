// Whether a file is a sound Taskwire database this version can run: SQLite's
// own integrity check passes, it carries our schema_migrations, and none of
// its migrations is newer than this code knows.

import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations.js';

export interface DatabaseCheck {
  /** The highest migration applied to the file. */
  schemaVersion: number;
  pages: number;
  bytes: number;
}

export class NotATaskwireDatabaseError extends Error {
  constructor(path: string, why: string) {
    super(`${path} is not a usable Taskwire database: ${why}`);
    this.name = 'NotATaskwireDatabaseError';
  }
}

const KNOWN_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

export function checkTaskwireDatabase(path: string): DatabaseCheck {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new NotATaskwireDatabaseError(path, (error as Error).message);
  }
  try {
    const problems = readIntegrity(db, path);
    if (problems.length > 0) throw new NotATaskwireDatabaseError(path, `the integrity check failed: ${problems.slice(0, 5).join('; ')}`);
    const hasMigrations = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
    if (!hasMigrations) throw new NotATaskwireDatabaseError(path, 'it has no schema_migrations table');
    const { version } = db.prepare('SELECT max(version) AS version FROM schema_migrations').get() as { version: number | null };
    if (version === null) throw new NotATaskwireDatabaseError(path, 'no migration was ever applied to it');
    if (version > KNOWN_VERSION) {
      throw new NotATaskwireDatabaseError(path, `its schema is version ${version}, newer than this Taskwire knows (${KNOWN_VERSION}); run a newer Taskwire`);
    }
    const pages = db.pragma('page_count', { simple: true }) as number;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    return { schemaVersion: version, pages, bytes: pages * pageSize };
  } finally {
    db.close();
  }
}

function readIntegrity(db: Database.Database, path: string): string[] {
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    return rows.map((row) => row.integrity_check).filter((line) => line !== 'ok');
  } catch (error) {
    // "file is not a database" surfaces on the first read.
    throw new NotATaskwireDatabaseError(path, (error as Error).message);
  }
}
