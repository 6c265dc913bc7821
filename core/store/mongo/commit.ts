// write() without multi-document transactions (FerretDB has none, and its
// updates are not even compare-and-set: see lease.ts).
//
// 1. One contender per scope and process (KeyedMutex), then the scope's lease:
//    a unique insert (polling for up to 15 s, then 503; an expired lease is
//    deleted by its holder's id and the insert retried).
// 2. Under the lease: read the head {lastSeq, journal} of feeds/{scope} and the
//    records the ops replace or remove. A journal means the last holder died
//    mid-unit: undo it first.
// 3. Check every op in order against those records (missing record, `expect`);
//    if one fails nothing has been written. An insert over an existing id is
//    refused by the unique `_id` when applied, and the unit undone.
// 4. Save the journal (each op's before-image) on the feeds doc, apply the ops,
//    insert the feed entries with seq lastSeq+1..; on failure undo the ops
//    attempted, newest first, clear the journal and rethrow.
// 5. Commit point: one write of the feeds doc sets lastSeq and clears the
//    journal. Then the lease is deleted.
//
// Why seq is contiguous and in commit order: only the lease holder hands out
// seq, from lastSeq, which only a holder moves, at its commit point, by exactly
// the entries it inserted. Readers read lastSeq first and never look above it,
// so n+1 becomes visible together with n, never before, and the entries of a
// unit still running or undone (always above lastSeq) are never seen.
//
// A crash before the journal is saved wrote nothing. After it, the journal
// stays on the feeds doc; the next writer (once the lease expires: lockTtlMs)
// undoes the records and deletes entries above lastSeq before its own unit.
// After the commit point there is nothing to undo.
//
// Limits, the price of having no transactions: a reader can see a unit's
// records between its first op and its commit point (milliseconds; never its
// feed entries); every write goes out with at least ttl/2 of lease left
// (keepAlive), so only a single call stalled for over ttl/2 can land after a
// takeover; lease expiry compares the clocks of different nodes, which must
// agree well within that; a crash right after an insert refused for its
// duplicate `_id` would make recovery delete the record that had that id.

import type { Change, CollectionName } from '../entities.js';
import { StoreConflictError, StoreDuplicateError, StoreNotFoundError } from '../errors.js';
import { expectationHolds, type WriteBuffer, type WriteOp } from '../write-buffer.js';
import { fromStored, toStored, changeToStored } from './codec.js';
import { duplicateError, isDuplicateKey, translateError } from './errors.js';
import { rollback } from './journal.js';
import { advanceHead, readHead, saveJournal, saveTaskCounter, type FeedHead, type JournalEntry } from './feed.js';
import { LeaseLostError, Leases, type Lease } from './lease.js';
import { driver, type Models, type Raw } from './models.js';
import { KeyedMutex } from './mutex.js';

export const GLOBAL_SCOPE = '~global';

export interface Logger {
  warn(obj: object, msg: string): void;
}

/** One op, checked and ready to apply. */
interface Step {
  op: WriteOp;
  id: string;
  /** The document to write (insert, replace). */
  doc: Raw | null;
  /** The record as it stood right before this op (null: absent). */
  before: Raw | null;
}

const keyOf = (collection: CollectionName, id: string): string => `${collection}\u0000${id}`;
const idOf = (op: WriteOp): string => (op.kind === 'remove' ? op.id : op.doc.id);

export class MongoCommitter {
  private readonly mutex = new KeyedMutex();
  private readonly leases: Leases;

  constructor(
    private readonly models: Models,
    lockTtlMs: number,
    private readonly logger: Logger | undefined,
  ) {
    this.leases = new Leases(models.leases, lockTtlMs);
  }

  async commit(projectId: string | null, buffer: WriteBuffer): Promise<Change[]> {
    if (buffer.ops.length === 0 && buffer.changes.length === 0) return [];
    try {
      // Casting is pure, so bad input is refused before the scope is even locked.
      const docs = await Promise.all(buffer.ops.map(async (op) => (op.kind === 'remove' ? null : toStored(this.models, op.collection, op.doc))));
      const scope = projectId ?? GLOBAL_SCOPE;
      return await this.mutex.run(scope, () => this.commitLocked(scope, projectId, buffer, docs));
    } catch (error) {
      throw translateError(error);
    }
  }

  /** Under the project's lease, like a commit: FerretDB has no atomic $inc (see lease.ts). */
  async nextTaskNumber(projectId: string): Promise<number> {
    try {
      return await this.mutex.run(projectId, async () => {
        const lease = await this.leases.acquire(projectId);
        try {
          const { taskCounter } = await readHead(this.models.feeds, projectId);
          await lease.keepAlive();
          await saveTaskCounter(this.models.feeds, projectId, taskCounter + 1);
          return taskCounter + 1;
        } finally {
          await lease.release().catch(() => undefined);
        }
      });
    } catch (error) {
      throw translateError(error);
    }
  }

  /** Under the project's lease, as nextTaskNumber. */
  async raiseTaskCounter(projectId: string, atLeast: number): Promise<void> {
    await this.underLease(projectId, async (lease) => {
      const { taskCounter } = await readHead(this.models.feeds, projectId);
      if (taskCounter >= atLeast) return;
      await lease.keepAlive();
      await saveTaskCounter(this.models.feeds, projectId, atLeast);
    });
  }

  /**
   * Under the project's lease, so no unit of the project is half applied meanwhile. A journal left by a writer
   * that died is undone first, which may put records back: then false, and the caller purges again.
   */
  async dropFeed(projectId: string): Promise<boolean> {
    return this.underLease(projectId, async (lease) => {
      const head = await readHead(this.models.feeds, projectId);
      if (head.journal) {
        await this.recover(lease, projectId, head);
        return false;
      }
      await lease.keepAlive();
      await driver(this.models.changes).deleteMany({ projectId });
      await lease.keepAlive();
      // The head goes last: while it stays, the project is listed as a purge left to do.
      await driver(this.models.feeds).deleteOne({ _id: projectId });
      return true;
    });
  }

  private async underLease<T>(scope: string, work: (lease: Lease) => Promise<T>): Promise<T> {
    try {
      return await this.mutex.run(scope, async () => {
        const lease = await this.leases.acquire(scope);
        try {
          return await work(lease);
        } finally {
          await lease.release().catch(() => undefined);
        }
      });
    } catch (error) {
      throw translateError(error);
    }
  }

  private async commitLocked(scope: string, projectId: string | null, buffer: WriteBuffer, docs: (Raw | null)[]): Promise<Change[]> {
    const { feeds } = this.models;
    const lease = await this.leases.acquire(scope);
    let head: FeedHead = { lastSeq: 0, taskCounter: 0, journal: null };
    let journal: JournalEntry[] | null = null;
    // How many journal entries to undo on failure: the ops attempted so far (see abort).
    let attempted = 0;
    let changes: Change[];
    try {
      let state: Map<string, Raw | null>;
      [head, state] = await Promise.all([readHead(feeds, scope), this.readTouched(buffer.ops)]);
      if (head.journal) {
        await this.recover(lease, projectId, head);
        state = await this.readTouched(buffer.ops);
      }
      const steps = this.check(buffer.ops, docs, state);
      const entries = steps.map((step): JournalEntry => ({ c: step.op.collection, id: step.id, before: step.before }));
      await lease.keepAlive();
      await saveJournal(feeds, scope, entries);
      journal = entries;
      for (const step of steps) {
        await lease.keepAlive();
        attempted++;
        await this.apply(step);
      }
      const at = new Date().toISOString();
      changes = buffer.changes.map(
        (change, i): Change => ({
          projectId: projectId!,
          seq: head.lastSeq + 1 + i,
          type: change.type,
          at,
          actorId: change.actorId,
          data: change.data,
          audience: change.audience ?? null,
        }),
      );
      if (changes.length > 0) {
        await lease.keepAlive();
        await driver(this.models.changes).insertMany(changes.map(changeToStored), { ordered: true });
      }
      await lease.keepAlive();
      await advanceHead(feeds, scope, head.lastSeq + changes.length);
    } catch (error) {
      // An op refused by the server (typed error from apply) did not write; anything else may have.
      const refused = error instanceof StoreDuplicateError || error instanceof StoreNotFoundError || error instanceof StoreConflictError;
      await this.abort(lease, projectId, head, journal?.slice(0, refused ? attempted - 1 : attempted) ?? null, error);
      throw error;
    }
    // Committed: a failed release only makes the next writer wait for the lease to expire.
    await lease.release().catch((error: unknown) => this.logger?.warn({ err: error, scope }, 'mongo store: could not release a lease'));
    return changes;
  }

  /** Undoes what a failed unit wrote and gives the lease back; if undoing fails, the journal stays for the next holder. */
  private async abort(lease: Lease, projectId: string | null, head: FeedHead, journal: JournalEntry[] | null, cause: unknown): Promise<void> {
    // Someone else may hold the lease now and will undo this unit from its journal.
    if (cause instanceof LeaseLostError) return;
    try {
      if (journal) {
        await rollback(this.models, projectId, head.lastSeq, journal);
        await saveJournal(this.models.feeds, lease.scope, null);
      }
    } catch (error) {
      this.logger?.warn({ err: error, scope: lease.scope }, 'mongo store: could not undo a failed write; the next writer will');
    }
    await lease.release().catch(() => undefined);
  }

  private async recover(lease: Lease, projectId: string | null, head: FeedHead): Promise<void> {
    const journal = head.journal ?? [];
    this.logger?.warn({ scope: lease.scope, entries: journal.length }, 'mongo store: undoing a write left unfinished by a writer that died');
    await lease.keepAlive();
    await rollback(this.models, projectId, head.lastSeq, journal);
    await saveJournal(this.models.feeds, lease.scope, null);
  }

  /** Replays the ops, in order, against the records as read under the lease, and throws the first failure. */
  private check(ops: readonly WriteOp[], docs: readonly (Raw | null)[], state: Map<string, Raw | null>): Step[] {
    return ops.map((op, i): Step => {
      const id = idOf(op);
      const key = keyOf(op.collection, id);
      const before = state.get(key) ?? null;
      if (op.kind === 'insert') {
        if (before) throw new StoreDuplicateError(op.collection, `${op.collection}.id`);
      } else {
        if (!before) throw new StoreNotFoundError(op.collection, id);
        const current = fromStored(op.collection, before);
        if (!expectationHolds(current as unknown as Record<string, unknown>, op.expect)) throw new StoreConflictError(op.collection, current);
      }
      const doc = docs[i] ?? null;
      state.set(key, doc);
      return { op, id, doc, before };
    });
  }

  /**
   * Reads the records replaced or removed, one lookup by `_id` each (the only filter FerretDB pushes down).
   * Inserts read nothing: their before-image is "absent" by construction, since the unique `_id` refuses
   * the insert otherwise, and a lookup that misses costs FerretDB a scan of the whole collection.
   */
  private async readTouched(ops: readonly WriteOp[]): Promise<Map<string, Raw | null>> {
    const touched = new Map<string, { collection: CollectionName; id: string }>();
    for (const op of ops) if (op.kind !== 'insert') touched.set(keyOf(op.collection, idOf(op)), { collection: op.collection, id: idOf(op) });
    const state = new Map<string, Raw | null>();
    await Promise.all(
      [...touched].map(async ([key, { collection, id }]) => {
        state.set(key, await this.models.entities[collection].findById(id).lean<Raw>());
      }),
    );
    return state;
  }

  private async apply(step: Step): Promise<void> {
    const { op, id, doc } = step;
    const collection = driver(this.models.entities[op.collection]);
    try {
      if (op.kind === 'insert') {
        await collection.insertOne(doc!);
        return;
      }
      // By `_id` alone: `expect` was checked under the lease, and a compound filter would neither be atomic
      // on FerretDB nor use an index there. A record gone meanwhile (a write from another scope) still shows.
      const result = op.kind === 'replace' ? await collection.replaceOne({ _id: id }, doc!) : await collection.deleteOne({ _id: id });
      const hit = 'matchedCount' in result ? result.matchedCount : result.deletedCount;
      if (hit !== 1) throw await this.raced(op.collection, id);
    } catch (error) {
      if (doc && isDuplicateKey(error)) throw await duplicateError(this.models, op.collection, doc, error);
      throw error;
    }
  }

  private async raced(collection: CollectionName, id: string): Promise<Error> {
    const raw = await this.models.entities[collection].findById(id).lean<Raw>();
    return raw ? new StoreConflictError(collection, fromStored(collection, raw)) : new StoreNotFoundError(collection, id);
  }
}
