// Typed reads over the JSON `doc` column, with statements prepared once.

import type { Database, Statement } from 'better-sqlite3';

export class Reader {
  private readonly db: Database;
  private readonly cache = new Map<string, Statement>();
  /** Statements that return their one column as a plain value (no row object per record: lists of 200 tasks are hot). */
  private readonly plucked = new Map<string, Statement>();

  constructor(db: Database) {
    this.db = db;
  }

  docs<T>(sql: string, ...params: unknown[]): T[] {
    return (this.pluck(sql).all(...params) as string[]).map((doc) => JSON.parse(doc) as T);
  }

  doc<T>(sql: string, ...params: unknown[]): T | null {
    const doc = this.pluck(sql).get(...params) as string | undefined;
    return doc === undefined ? null : (JSON.parse(doc) as T);
  }

  rows<R>(sql: string, ...params: unknown[]): R[] {
    return this.statement(sql).all(...params) as R[];
  }

  row<R>(sql: string, ...params: unknown[]): R | undefined {
    return this.statement(sql).get(...params) as R | undefined;
  }

  /** The first column of the first row, or null when there is none. */
  value<T>(sql: string, ...params: unknown[]): T | null {
    return (this.pluck(sql).get(...params) as T | undefined) ?? null;
  }

  run(sql: string, ...params: unknown[]): void {
    this.statement(sql).run(...params);
  }

  private pluck(sql: string): Statement {
    let statement = this.plucked.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql).pluck();
      this.plucked.set(sql, statement);
    }
    return statement;
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
