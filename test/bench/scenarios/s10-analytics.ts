// S10: GET /api/projects/:id/analytics for a one-year range on SQLite, for a
// project of 50,000 tasks and 500,000 changes over a year (lib/analytics-seed;
// --quick: 10,000 and 100,000). The service call is timed in this process (the
// route adds a zod parse and the JSON), p50/p99 over 20 calls after 3 warm-up
// calls, per repetition. Beside it, the bare aggregate: plain GROUP BY queries
// over the same rows (moves by day and column, tasks created by day, messages
// by day) on a better-sqlite3 connection of their own, in UTC days.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { createLocalBus } from '../../../core/bus/local.js';
import type { UserActor } from '../../../core/domain/actor.js';
import { localDate } from '../../../core/domain/notify.js';
import { addDays } from '../../../core/domain/zoned-days.js';
import { createLogger } from '../../../core/logger.js';
import { projectAnalytics } from '../../../core/services/analytics.js';
import { defaultClock, type ServiceDeps } from '../../../core/services/deps.js';
import { createSqliteStore } from '../../../core/store/sqlite/index.js';
import { seedAnalyticsProject, type SeedPlan, type Seeded } from '../lib/analytics-seed.js';
import { alternate, fmt, progress } from '../lib/progress.js';
import type { Settings } from '../lib/settings.js';
import type { Row } from '../report.js';
import { percentile } from '../stats.js';

const PLANS: Record<'quick' | 'full', SeedPlan> = {
  quick: { tasks: 10_000, changes: 100_000, days: 365, people: 12 },
  full: { tasks: 50_000, changes: 500_000, days: 365, people: 12 },
};
const WARMUP = 3;
const CALLS = 20;
const TARGET_MS = 300;
const TZ = 'Europe/Berlin';

type Kind = 'taskwire' | 'bare';

interface Timing {
  kind: Kind;
  rep: number;
  p50: number;
  p99: number;
}

export interface S10Result {
  rows: Row[];
  details: { plan: SeedPlan; seeded: Seeded['counts']; seedSeconds: number; runs: Timing[]; sample: { throughputWeeks: number; cycleCount: number; messages: number } };
}

function time(calls: number, work: () => unknown | Promise<unknown>): Promise<number[]> {
  return (async () => {
    const ms: number[] = [];
    for (let i = 0; i < calls; i++) {
      const t0 = performance.now();
      await work();
      ms.push(performance.now() - t0);
    }
    return ms;
  })();
}

/** The same rows the analytics read, grouped by UTC day with nothing else: the floor for this data on this machine. */
function bareQueries(db: Database.Database, seeded: Seeded): () => void {
  const moves = db.prepare(
    `SELECT substr(at, 1, 10) AS day, from_status, to_status, count(*) FROM task_moves WHERE project_id = ? AND at < ? GROUP BY day, from_status, to_status`,
  );
  const created = db.prepare(`SELECT substr(doc->>'createdAt', 1, 10) AS day, count(*) FROM tasks WHERE project_id = ? AND doc->>'createdAt' >= ? GROUP BY day`);
  const messages = db.prepare(`SELECT substr(created_at, 1, 10) AS day, count(*) FROM messages WHERE created_at >= ? AND doc->>'deletedAt' IS NULL GROUP BY day`);
  return () => {
    moves.all(seeded.projectId, seeded.to);
    created.all(seeded.projectId, seeded.from);
    messages.all(seeded.from);
  };
}

export async function runS10(settings: Settings): Promise<S10Result> {
  const plan = PLANS[settings.quick ? 'quick' : 'full'];
  const dir = mkdtempSync(join(tmpdir(), 'tw-s10-'));
  try {
    const path = join(dir, 'taskwire.sqlite');
    // The product's schema first (its migrations), then the year in bulk.
    await createSqliteStore({ path }).close();
    const now = Date.now();
    const t0 = performance.now();
    const seeded = seedAnalyticsProject(path, plan, now);
    const seedSeconds = (performance.now() - t0) / 1000;
    progress(`S10: seeded ${fmt(seeded.counts.tasks)} tasks (${fmt(seeded.counts.deletedTasks)} more deleted), ${fmt(seeded.counts.moves)} moves, ${fmt(seeded.counts.messages)} messages, ${fmt(seeded.counts.changes)} changes in ${seedSeconds.toFixed(1)} s`);

    const store = createSqliteStore({ path });
    const logger = createLogger('silent');
    const deps: ServiceDeps = { store, bus: createLocalBus(logger), logger, ...defaultClock(), passwords: { cost: 1024 } };
    const owner: UserActor = { kind: 'user', userId: seeded.ownerId, tokenId: 'bench', tokenKind: 'session', isAdmin: false };
    const to = localDate(now, TZ);
    const query = { from: addDays(to, -364), to, tz: TZ };
    const bareDb = new Database(path, { readonly: true });
    try {
      const bare = bareQueries(bareDb, seeded);
      const sample = await projectAnalytics(deps, owner, seeded.projectId, query);
      await time(WARMUP, () => projectAnalytics(deps, owner, seeded.projectId, query));
      await time(WARMUP, bare);
      const runs: Timing[] = [];
      for (let rep = 0; rep < settings.reps; rep++) {
        for (const kind of alternate<Kind>(rep, ['bare'], ['taskwire'])) {
          const ms = await time(CALLS, kind === 'bare' ? bare : () => projectAnalytics(deps, owner, seeded.projectId, query));
          const timing = { kind, rep, p50: percentile(ms, 50), p99: percentile(ms, 99) };
          runs.push(timing);
          progress(`S10 rep ${rep + 1}/${settings.reps} ${kind.padEnd(8)} p50 ${timing.p50.toFixed(1)} ms, p99 ${timing.p99.toFixed(1)} ms`);
        }
      }
      const of = (kind: Kind, figure: 'p50' | 'p99') => runs.filter((r) => r.kind === kind).map((r) => r[figure]);
      const target = { text: `≤ ${TARGET_MS} ms`, kind: 'value-at-most' as const, limit: TARGET_MS };
      const scenario = 'S10 analytics';
      const size = `${fmt(plan.tasks / 1000)}k tasks, ${fmt(plan.changes / 1000)}k changes, 1 year`;
      const rows: Row[] = [
        { scenario, figure: `p50, ${size}`, unit: 'ms', tw: of('taskwire', 'p50'), bare: of('bare', 'p50'), bareName: 'SQL GROUP BY', target, digits: 1 },
        { scenario, figure: `p99, ${size}`, unit: 'ms', tw: of('taskwire', 'p99'), bare: of('bare', 'p99'), bareName: 'SQL GROUP BY', target, digits: 1 },
      ];
      return {
        rows,
        details: {
          plan,
          seeded: seeded.counts,
          seedSeconds: Number(seedSeconds.toFixed(1)),
          runs,
          sample: { throughputWeeks: sample.throughput.length, cycleCount: sample.cycleTime.count, messages: sample.chat.messagesPerDay.reduce((n, d) => n + d.count, 0) },
        },
      };
    } finally {
      bareDb.close();
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
