// The embedded queue's table on SQLite. Every method is one statement or one
// IMMEDIATE transaction, so a claim is atomic across the processes sharing the
// file: a job is leased to exactly one owner until its lease runs out.

import type { Database, Statement } from 'better-sqlite3';
import type { JobsRepo, StoredJob } from '../ports.js';

interface JobRow {
  id: string;
  name: string;
  data: string;
  run_at: number;
  attempts: number;
  attempts_made: number;
  backoff: string;
  last_error: string | null;
  failed: number;
}

const toJob = (row: JobRow): StoredJob => ({
  id: row.id,
  name: row.name,
  data: JSON.parse(row.data) as Record<string, unknown>,
  runAt: row.run_at,
  attempts: row.attempts,
  attemptsMade: row.attempts_made,
  backoff: JSON.parse(row.backoff) as StoredJob['backoff'],
  lastError: row.last_error,
  failed: row.failed === 1,
});

// A job can be claimed when it is due, not failed, and nobody holds a live lease on it.
const CLAIMABLE = 'failed = 0 AND run_at <= @now AND (lease_until IS NULL OR lease_until < @now)';

export function sqliteJobsRepo(db: Database): JobsRepo {
  const insert = db.prepare<[string, string, string, number, number, string]>(
    'INSERT INTO jobs (id, name, data, run_at, attempts, backoff) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
  );
  const remove = db.prepare<{ id: string; now: number }>('DELETE FROM jobs WHERE id = @id AND (lease_until IS NULL OR lease_until < @now)');
  const due = db.prepare<{ now: number; limit: number }, JobRow>(`SELECT * FROM jobs WHERE ${CLAIMABLE} ORDER BY run_at, id LIMIT @limit`);
  const lease = db.prepare<{ id: string; owner: string; until: number }>('UPDATE jobs SET lease_owner = @owner, lease_until = @until WHERE id = @id');
  const renew = db.prepare<{ id: string; owner: string; until: number }>(
    'UPDATE jobs SET lease_until = @until WHERE id = @id AND lease_owner = @owner',
  );
  const complete = db.prepare<{ id: string; owner: string }>('DELETE FROM jobs WHERE id = @id AND lease_owner = @owner');
  const retry = db.prepare<{ id: string; owner: string; runAt: number; error: string }>(
    `UPDATE jobs SET attempts_made = attempts_made + 1, run_at = @runAt, last_error = @error, lease_owner = NULL, lease_until = NULL
     WHERE id = @id AND lease_owner = @owner`,
  );
  const fail = db.prepare<{ id: string; owner: string; error: string }>(
    `UPDATE jobs SET attempts_made = attempts_made + 1, failed = 1, last_error = @error, lease_owner = NULL, lease_until = NULL
     WHERE id = @id AND lease_owner = @owner`,
  );
  // A leased job's next chance is when its lease runs out. Two indexed minimums instead of one expression over every
  // queued job: an instance keeps a job per future reminder, and the poller asks this on every pass.
  const nextFree = db.prepare<[], { at: number | null }>('SELECT min(run_at) AS at FROM jobs WHERE failed = 0 AND lease_until IS NULL');
  const nextLeased = db.prepare<[], { at: number | null }>(
    'SELECT min(max(run_at, lease_until + 1)) AS at FROM jobs WHERE failed = 0 AND lease_until IS NOT NULL',
  );
  const counts: Statement<{ now: number }, { waiting: number; delayed: number; active: number; failed: number }> = db.prepare(
    `SELECT
       coalesce(sum(failed = 0 AND run_at <= @now AND (lease_until IS NULL OR lease_until < @now)), 0) AS waiting,
       coalesce(sum(failed = 0 AND run_at > @now AND (lease_until IS NULL OR lease_until < @now)), 0) AS delayed,
       coalesce(sum(failed = 0 AND lease_until >= @now), 0) AS active,
       coalesce(sum(failed = 1), 0) AS failed
     FROM jobs`,
  );

  const claim = db.transaction((owner: string, now: number, leaseMs: number, limit: number): StoredJob[] => {
    const rows = due.all({ now, limit });
    for (const row of rows) lease.run({ id: row.id, owner, until: now + leaseMs });
    return rows.map(toJob);
  });

  return {
    add: async (job) => insert.run(job.id, job.name, JSON.stringify(job.data), job.runAt, job.attempts, JSON.stringify(job.backoff)).changes === 1,
    remove: async (id) => remove.run({ id, now: Date.now() }).changes === 1,
    claim: async (owner, now, leaseMs, limit) => claim.immediate(owner, now, leaseMs, limit),
    renew: async (id, owner, until) => renew.run({ id, owner, until }).changes === 1,
    complete: async (id, owner) => void complete.run({ id, owner }),
    retry: async (id, owner, runAt, error) => void retry.run({ id, owner, runAt, error }),
    fail: async (id, owner, error) => void fail.run({ id, owner, error }),
    nextRunAt: async () => {
      const candidates = [nextFree.get()?.at, nextLeased.get()?.at].filter((at): at is number => typeof at === 'number');
      return candidates.length > 0 ? Math.min(...candidates) : null;
    },
    counts: async (now) => counts.get({ now })!,
  };
}
