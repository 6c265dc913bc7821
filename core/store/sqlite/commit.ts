// Applies a unit of work's buffer in one IMMEDIATE transaction.
//
// Why the feed is contiguous and in commit order: the seq numbers are taken
// from `feeds.last_seq` inside the same transaction that writes the records and
// the change rows, and SQLite admits one writer at a time (IMMEDIATE takes the
// write lock up front; other processes wait on busy_timeout). So seq n+1 is
// handed out only after seq n committed or rolled back together with its
// records, and a reader (which sees committed snapshots only, WAL) can never
// see n+1 without n.

import type { Database, Statement } from 'better-sqlite3';
import type { Change, CollectionName } from '../entities.js';
import { StoreConflictError, StoreDuplicateError, StoreNotFoundError } from '../errors.js';
import { expectationHolds, type WriteBuffer } from '../write-buffer.js';
import { TABLES } from './tables.js';

interface TableStatements {
  get: Statement<[string], { doc: string }>;
  insert: Statement<[string, string]>;
  replace: Statement<[string, string]>;
  remove: Statement<[string]>;
}

export class SqliteCommitter {
  private readonly db: Database;
  private readonly tables = new Map<CollectionName, TableStatements>();
  private readonly bumpSeq: Statement<[string, number], { last_seq: number }>;
  private readonly insertChange: Statement<[string, number, string, string, string | null, string, string | null]>;

  constructor(db: Database) {
    this.db = db;
    for (const [collection, table] of Object.entries(TABLES) as [CollectionName, string][]) {
      this.tables.set(collection, {
        get: db.prepare(`SELECT doc FROM ${table} WHERE id = ?`),
        insert: db.prepare(`INSERT INTO ${table} (id, doc) VALUES (?, ?)`),
        replace: db.prepare(`UPDATE ${table} SET doc = ? WHERE id = ?`),
        remove: db.prepare(`DELETE FROM ${table} WHERE id = ?`),
      });
    }
    this.bumpSeq = db.prepare(
      `INSERT INTO feeds (scope, last_seq) VALUES (?, ?)
       ON CONFLICT (scope) DO UPDATE SET last_seq = last_seq + excluded.last_seq
       RETURNING last_seq`,
    );
    this.insertChange = db.prepare(
      'INSERT INTO changes (project_id, seq, type, at, actor_id, data, audience) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  commit(projectId: string | null, buffer: WriteBuffer): Change[] {
    const run = this.db.transaction((): Change[] => {
      for (const op of buffer.ops) {
        const statements = this.statements(op.collection);
        if (op.kind === 'insert') {
          this.insert(op.collection, statements, op.doc.id, JSON.stringify(op.doc));
          continue;
        }
        const id = op.kind === 'replace' ? op.doc.id : op.id;
        const row = statements.get.get(id);
        if (!row) throw new StoreNotFoundError(op.collection, id);
        const stored = JSON.parse(row.doc) as Record<string, unknown>;
        if (!expectationHolds(stored, op.expect)) throw new StoreConflictError(op.collection, stored);
        if (op.kind === 'replace') this.replace(op.collection, statements, id, JSON.stringify(op.doc));
        else statements.remove.run(id);
      }
      if (buffer.changes.length === 0 || projectId === null) return [];
      const { last_seq: lastSeq } = this.bumpSeq.get(projectId, buffer.changes.length)!;
      const at = new Date().toISOString();
      const first = lastSeq - buffer.changes.length + 1;
      return buffer.changes.map((change, i) => {
        const committed: Change = {
          projectId,
          seq: first + i,
          type: change.type,
          at,
          actorId: change.actorId,
          data: change.data,
          audience: change.audience ?? null,
        };
        this.insertChange.run(
          projectId,
          committed.seq,
          committed.type,
          at,
          committed.actorId,
          JSON.stringify(committed.data),
          committed.audience ? JSON.stringify(committed.audience) : null,
        );
        return committed;
      });
    });
    return run.immediate();
  }

  private statements(collection: CollectionName): TableStatements {
    const statements = this.tables.get(collection);
    if (!statements) throw new Error(`unknown collection ${collection}`);
    return statements;
  }

  private insert(collection: CollectionName, statements: TableStatements, id: string, doc: string): void {
    try {
      statements.insert.run(id, doc);
    } catch (error) {
      throw translateConstraint(collection, error);
    }
  }

  private replace(collection: CollectionName, statements: TableStatements, id: string, doc: string): void {
    try {
      statements.replace.run(doc, id);
    } catch (error) {
      throw translateConstraint(collection, error);
    }
  }
}

function translateConstraint(collection: CollectionName, error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    // "UNIQUE constraint failed: index 'users_email'" or "...: users.id": keep only the key's name.
    const message = error instanceof Error ? error.message : '';
    const key = /index '([^']+)'/.exec(message)?.[1] ?? /failed: (\S+)/.exec(message)?.[1] ?? 'unique key';
    return new StoreDuplicateError(collection, key);
  }
  return error;
}
