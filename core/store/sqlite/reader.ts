// Typed reads over the JSON `doc` column, with statements prepared once.

import type { Database, Statement } from 'better-sqlite3';

export class Reader {
  private readonly db: Database;
  private readonly cache = new Map<string, Statement>();

  constructor(db: Database) {
    this.db = db;
  }

  docs<T>(sql: string, ...params: unknown[]): T[] {
    return (this.statement(sql).all(...params) as { doc: string }[]).map((row) => JSON.parse(row.doc) as T);
  }

  doc<T>(sql: string, ...params: unknown[]): T | null {
    const row = this.statement(sql).get(...params) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as T) : null;
  }

  rows<R>(sql: string, ...params: unknown[]): R[] {
    return this.statement(sql).all(...params) as R[];
  }

  row<R>(sql: string, ...params: unknown[]): R | undefined {
    return this.statement(sql).get(...params) as R | undefined;
  }

  run(sql: string, ...params: unknown[]): void {
    this.statement(sql).run(...params);
  }

  private statement(sql: string): Statement {
    let statement = this.cache.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }
}
