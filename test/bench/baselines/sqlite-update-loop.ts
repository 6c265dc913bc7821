// Bare better-sqlite3: one row update per op, in its own IMMEDIATE transaction,
// with the product's pragmas (WAL, synchronous=NORMAL) and a JSON document of
// the same size as a task. The floor under a versioned PATCH on the embedded store.

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export interface LoopResult {
  opsPerSecond: number;
  ops: number;
  seconds: number;
  jsonBytes: number;
}

const MAX_OPS = 50_000_000;

/**
 * Runs for `seconds` (checked every 64 ops), cycling over `rowCount` rows. Op i writes `template` with
 * `placeholder` replaced by `vary(i)` (same length), so every update writes a different document of one size.
 */
export function sqliteUpdateLoop(seconds: number, template: string, placeholder: string, vary: (op: number) => string, rowCount = 200): LoopResult {
  const at = template.indexOf(placeholder);
  if (at < 0) throw new Error('the placeholder is not in the template');
  const head = template.slice(0, at);
  const tail = template.slice(at + placeholder.length);
  const makeJson = (op: number) => head + vary(op) + tail;
  const dir = mkdtempSync(join(tmpdir(), 'tw-bench-sqlite-'));
  const db = new Database(join(dir, 'bare.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE records (id TEXT PRIMARY KEY, data TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO records (id, data) VALUES (?, ?)');
    const ids = Array.from({ length: rowCount }, (_, i) => `task-${i}`);
    db.transaction(() => ids.forEach((id, i) => insert.run(id, makeJson(i))))();
    const update = db.prepare('UPDATE records SET data = ? WHERE id = ?');
    const write = db.transaction((id: string, data: string) => {
      if (update.run(data, id).changes !== 1) throw new Error('row missing');
    });
    const jsonBytes = Buffer.byteLength(makeJson(0));
    const started = performance.now();
    const deadline = started + seconds * 1000;
    let ops = 0;
    while (ops < MAX_OPS) {
      for (let i = 0; i < 64; i++, ops++) write.immediate(ids[ops % rowCount]!, makeJson(ops));
      if (performance.now() >= deadline) break;
    }
    const elapsed = (performance.now() - started) / 1000;
    return { opsPerSecond: ops / elapsed, ops, seconds: elapsed, jsonBytes };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
