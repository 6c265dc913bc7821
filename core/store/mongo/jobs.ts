// The embedded queue's jobs on MongoDB/FerretDB. FerretDB has no
// compare-and-set update (see lease.ts), so a job is not leased by updating it:
// a runner claims one try of a job by inserting a claim under a unique index on
// `${jobId}#${attemptsMade}`, exactly as a writer takes a commit lease. One
// insert wins; an expired claim is deleted by its own `_id` (never a newer one)
// before the next runner races for it. Only a claim holder updates a job, so
// its plain updates cannot interleave with another runner's.

import { randomUUID } from 'node:crypto';
import type { JobsRepo, StoredJob } from '../ports.js';
import { isDuplicateKey } from './errors.js';
import { driver, idOf, type Models, type Raw } from './models.js';

// Raw's index signature types every field as unknown; the counters are numbers.
const ONE_MORE_TRY = { attemptsMade: 1 } as unknown as Record<string, never>;

const claimKey = (id: string, attemptsMade: number): string => `${id}#${attemptsMade}`;

function toJob(raw: Raw): StoredJob {
  return {
    id: idOf(raw),
    name: raw.name as string,
    data: JSON.parse(raw.data as string) as Record<string, unknown>,
    runAt: raw.runAt as number,
    attempts: raw.attempts as number,
    attemptsMade: (raw.attemptsMade as number | undefined) ?? 0,
    backoff: JSON.parse(raw.backoff as string) as StoredJob['backoff'],
    lastError: (raw.lastError as string | null | undefined) ?? null,
    failed: raw.failed === true,
  };
}

/** Looks at a few more due jobs than asked for, since some of them are claimed by other runners. */
const CANDIDATES_PER_SLOT = 3;

export function mongoJobsRepo(models: Models): JobsRepo {
  const jobs = driver(models.jobs);
  const claims = driver(models.jobClaims);

  async function liveClaim(jobId: string, now: number): Promise<Raw | null> {
    return claims.findOne({ jobId, until: { $gte: now } });
  }

  /** Claims one try of `job` for `owner`; false when another runner holds it or won the race. */
  async function claimOne(job: StoredJob, owner: string, now: number, leaseMs: number): Promise<boolean> {
    const key = claimKey(job.id, job.attemptsMade);
    const existing = await claims.findOne({ key });
    if (existing) {
      if ((existing.until as number) >= now) return false;
      await claims.deleteOne({ _id: idOf(existing) });
    }
    const claimId = randomUUID();
    try {
      await claims.insertOne({ _id: claimId, key, jobId: job.id, owner, until: now + leaseMs });
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
    // The job may have been retried, finished or removed between the find and the claim.
    const current = await jobs.findOne({ _id: job.id });
    if (!current || current.failed === true || current.attemptsMade !== job.attemptsMade || (current.runAt as number) > now) {
      await claims.deleteOne({ _id: claimId });
      return false;
    }
    return true;
  }

  return {
    add: async (job) => {
      try {
        await jobs.insertOne({
          _id: job.id,
          name: job.name,
          data: JSON.stringify(job.data),
          runAt: job.runAt,
          attempts: job.attempts,
          attemptsMade: 0,
          backoff: JSON.stringify(job.backoff),
          lastError: null,
          failed: false,
        });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    remove: async (id) => {
      if (await liveClaim(id, Date.now())) return false;
      const { deletedCount } = await jobs.deleteOne({ _id: id });
      return deletedCount === 1;
    },
    claim: async (owner, now, leaseMs, limit) => {
      if (limit < 1) return [];
      const candidates = await jobs
        .find({ failed: false, runAt: { $lte: now } })
        .sort({ runAt: 1, _id: 1 })
        .limit(limit * CANDIDATES_PER_SLOT)
        .toArray();
      const claimed: StoredJob[] = [];
      for (const raw of candidates) {
        if (claimed.length >= limit) break;
        const job = toJob(raw);
        if (await claimOne(job, owner, now, leaseMs)) claimed.push(job);
      }
      return claimed;
    },
    renew: async (id, owner, until) => {
      const { matchedCount } = await claims.updateOne({ jobId: id, owner }, { $set: { until } });
      return matchedCount === 1;
    },
    complete: async (id, owner) => {
      await jobs.deleteOne({ _id: id });
      await claims.deleteMany({ jobId: id, owner });
    },
    retry: async (id, owner, runAt, error) => {
      await jobs.updateOne({ _id: id }, { $inc: ONE_MORE_TRY, $set: { runAt, lastError: error } });
      await claims.deleteMany({ jobId: id, owner });
    },
    fail: async (id, owner, error) => {
      await jobs.updateOne({ _id: id }, { $inc: ONE_MORE_TRY, $set: { failed: true, lastError: error } });
      await claims.deleteMany({ jobId: id, owner });
    },
    nextRunAt: async () => {
      const now = Date.now();
      const earliest = await jobs.find({ failed: false }).sort({ runAt: 1, _id: 1 }).limit(20).toArray();
      let next: number | null = null;
      for (const raw of earliest) {
        const claim = await liveClaim(idOf(raw), now);
        const at = Math.max(raw.runAt as number, claim ? (claim.until as number) + 1 : 0);
        next = next === null ? at : Math.min(next, at);
      }
      return next;
    },
    counts: async (now) => {
      const [due, delayed, active, failed] = await Promise.all([
        jobs.countDocuments({ failed: false, runAt: { $lte: now } }),
        jobs.countDocuments({ failed: false, runAt: { $gt: now } }),
        claims.countDocuments({ until: { $gte: now } }),
        jobs.countDocuments({ failed: true }),
      ]);
      return { waiting: Math.max(0, due - active), delayed, active, failed };
    },
  };
}
