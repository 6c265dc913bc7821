// The per-scope commit lease. FerretDB 1.x runs every update (findAndModify,
// $inc, a filtered updateOne) as read, modify, then write-by-_id, so a
// conditional update is no compare-and-set there. The two operations that are
// atomic on FerretDB and MongoDB alike carry the lease instead:
// - inserting into a unique index: a lease is a document {_id: holder, scope,
//   until} under a unique index on `scope`, so one insert wins;
// - deleting by `_id`: a holder only ever deletes its own lease, and a
//   takeover deletes the expired lease by that holder's `_id`, never a newer one.

import { randomUUID } from 'node:crypto';
import { UnavailableError } from '../../errors.js';
import { isDuplicateKey } from './errors.js';
import { driver, idOf, type Raw, type RawModel } from './models.js';

/** How long a writer waits for a busy scope before giving up with 503. */
const ACQUIRE_TIMEOUT_MS = 15_000;
/** Waiters poll with a read (no write contention), a few ms apart, jittered. */
const FIRST_POLL_MS = 1;
const MAX_POLL_MS = 5;
/** After seeing another node hold a scope, this node pauses this long before each lease on it (see Leases). */
const YIELD_MS = 6;
const CONTENTION_MEMORY_MS = 1_000;

/** The lease expired and may have been taken over (and this unit undone): nothing more may be written. */
export class LeaseLostError extends UnavailableError {
  constructor(scope: string) {
    super('The write took too long and was abandoned; try again.', [{ scope }]);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class Lease {
  private until: number;

  constructor(
    private readonly leases: RawModel,
    readonly scope: string,
    readonly owner: string,
    private readonly ttlMs: number,
    until: number,
  ) {
    this.until = until;
  }

  /**
   * Called before every write: renews the lease once half of it is used, so a
   * write only goes out with at least ttl/2 of lease left (see commit.ts).
   */
  async keepAlive(): Promise<void> {
    if (Date.now() < this.until - this.ttlMs / 2) return;
    const until = Date.now() + this.ttlMs;
    const { matchedCount } = await driver(this.leases).updateOne({ _id: this.owner }, { $set: { until } });
    if (matchedCount !== 1) throw new LeaseLostError(this.scope);
    this.until = until;
  }

  async release(): Promise<void> {
    await driver(this.leases).deleteOne({ _id: this.owner });
  }
}

/**
 * A store's leases. Fairness between nodes: the in-process mutex hands a scope
 * from one local writer straight to the next, which would let a busy node keep
 * a scope while other nodes' waiters sleep between polls. So a node that has
 * recently found the scope held by another node pauses a little before each
 * acquisition, leaving a gap for the others; a node alone pays nothing.
 */
export class Leases {
  private readonly node = randomUUID();
  private readonly contendedAt = new Map<string, number>();

  constructor(
    private readonly leases: RawModel,
    private readonly ttlMs: number,
  ) {}

  async acquire(scope: string): Promise<Lease> {
    const owner = `${this.node}:${randomUUID()}`;
    const deadline = Date.now() + ACQUIRE_TIMEOUT_MS;
    if (this.recentlyContended(scope)) await sleep(YIELD_MS * (0.5 + Math.random()));
    let poll = FIRST_POLL_MS;
    for (;;) {
      if (Date.now() > deadline) throw new UnavailableError('The project is busy; try again.', [{ scope }]);
      const until = Date.now() + this.ttlMs;
      try {
        await driver(this.leases).insertOne({ _id: owner, scope, until });
        return new Lease(this.leases, scope, owner, this.ttlMs, until);
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      // Wait with reads until the lease is gone or expired, then race for it again.
      for (;;) {
        const holder = await this.leases.findOne({ scope }).lean<Raw>();
        if (!holder) break;
        const holderId = idOf(holder);
        if (!holderId.startsWith(this.node)) this.noteContention(scope);
        if ((holder.until as number) < Date.now()) {
          // Its holder died or stalled; deleting by its `_id` can only ever remove that one lease.
          await driver(this.leases).deleteOne({ _id: holderId });
          break;
        }
        if (Date.now() + poll > deadline) throw new UnavailableError('The project is busy; try again.', [{ scope }]);
        await sleep(poll * (0.5 + Math.random()));
        poll = Math.min(poll * 2, MAX_POLL_MS);
      }
    }
  }

  private noteContention(scope: string): void {
    // Forget stale scopes now and then, so the map only holds the ones contended lately.
    if (this.contendedAt.size > 1_000) for (const [key, at] of this.contendedAt) if (Date.now() - at >= CONTENTION_MEMORY_MS) this.contendedAt.delete(key);
    this.contendedAt.set(scope, Date.now());
  }

  private recentlyContended(scope: string): boolean {
    const at = this.contendedAt.get(scope);
    if (at === undefined) return false;
    if (Date.now() - at < CONTENTION_MEMORY_MS) return true;
    this.contendedAt.delete(scope);
    return false;
  }
}
