// The UnitOfWork both stores hand to `write()`: it only records what the work
// function asks for, in order; each store then applies the recorded ops inside
// its own atomic section.

import type { CollectionName, Entities } from './entities.js';
import type { NewChange, UnitOfWork } from './ports.js';

export type WriteOp =
  | { kind: 'insert'; collection: CollectionName; doc: Entities[CollectionName] }
  | { kind: 'replace'; collection: CollectionName; doc: Entities[CollectionName]; expect: Record<string, unknown> | undefined }
  | { kind: 'remove'; collection: CollectionName; id: string; expect: Record<string, unknown> | undefined };

export class WriteBuffer implements UnitOfWork {
  readonly ops: WriteOp[] = [];
  readonly changes: NewChange[] = [];
  private readonly projectId: string | null;

  constructor(projectId: string | null) {
    this.projectId = projectId;
  }

  insert<C extends CollectionName>(collection: C, doc: Entities[C]): void {
    this.ops.push({ kind: 'insert', collection, doc: structuredClone(doc) });
  }

  replace<C extends CollectionName>(collection: C, doc: Entities[C], expect?: Partial<Entities[C]>): void {
    this.ops.push({ kind: 'replace', collection, doc: structuredClone(doc), expect: expect && { ...expect } });
  }

  remove<C extends CollectionName>(collection: C, id: string, expect?: Partial<Entities[C]>): void {
    this.ops.push({ kind: 'remove', collection, id, expect: expect && { ...expect } });
  }

  append(change: NewChange): void {
    if (this.projectId === null) {
      // A programming error, not bad input: a feed entry needs the project it belongs to.
      throw new Error('append() needs a unit of work scoped to a project');
    }
    this.changes.push({ ...change, data: structuredClone(change.data), audience: change.audience ?? null });
  }
}

/** Whether every `expect` field equals the stored record's (deep equality via JSON for arrays and objects). */
export function expectationHolds(stored: Record<string, unknown>, expect: Record<string, unknown> | undefined): boolean {
  if (!expect) return true;
  return Object.entries(expect).every(([field, value]) => JSON.stringify(stored[field]) === JSON.stringify(value));
}
