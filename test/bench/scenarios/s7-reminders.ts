// S7: N reminders due within one window (10,000 over 60 s; --quick 1,000 over
// 20 s). Lateness (recorded − due) p50/p99/max and reminders recorded per
// second, through the real notification pipeline in both modes: the embedded
// queue on SQLite, and BullMQ on a redis-server (REDIS_URL). Beside bare BullMQ
// delayed jobs with the same due times on the same Redis, in the same run.
//
// Taskwire runs in this process (startServer, product job tuning: the defaults),
// its logs in .cache/bench/logs. An owner assigns N tasks to an assignee whose
// preferences leave only the `overdue` reminder, in-app (remindBefore 0, no
// email). The due window starts once every task is created and the notifier
// has queued every reminder: a pilot batch (tasks without a due date) measures
// how long that takes on this machine, and the window is placed after it. Each
// reminder's lateness is its notification's createdAt − the task's dueAt, read
// from the store once the window is over; every task must have exactly one
// `overdue` notification.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { loadConfig } from '../../../core/config.js';
import { startServer, type RunningServer } from '../../../core/server.js';
import { feedCursorId } from '../../../jobs/notifications/feed.js';
import { startRedis, type RedisServer } from '../../support/redis.js';
import { runBareDelayed } from '../baselines/bullmq-delayed.js';
import { LOG_DIR, PROFILE_DIR } from '../lib/paths.js';
import { alternate, fmt, progress } from '../lib/progress.js';
import { call, type Reply } from '../lib/rest.js';
import type { Settings } from '../lib/settings.js';
import { BENCH_TUNING } from '../lib/tuning.js';
import type { Row, Target } from '../report.js';
import { percentile } from '../stats.js';

type Mode = 'embedded' | 'bullmq';
type Kind = Mode | 'bare';

interface Plan {
  n: number;
  windowMs: number;
  /** How long after the last due time a run waits for stragglers. */
  graceMs: number;
  /** Concurrent task creations. */
  lanes: number;
  /** Slices of the window the lateness is also reported by (does it grow?). */
  slices: number;
}

const PLANS: Record<'quick' | 'full', Plan> = {
  quick: { n: 1_000, windowMs: 20_000, graceMs: 30_000, lanes: 16, slices: 4 },
  full: { n: 10_000, windowMs: 60_000, graceMs: 60_000, lanes: 16, slices: 6 },
};

/** Taskwire's default worker concurrency (jobs/runtime.ts); the bare worker gets the same. */
const CONCURRENCY = 8;
/** The reconciler's default period (jobs/notifications/context.ts): it runs at every multiple of it, on every node. */
const RECONCILE_EVERY_MS = 5 * 60_000;
const TARGET_P99_MS = 1_000;

export interface SliceFigures {
  /** Offsets of the slice's due times from the window start, seconds. */
  fromS: number;
  toS: number;
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export interface ReminderRun {
  kind: Kind;
  rep: number;
  expected: number;
  /** Reminders (or bare jobs) recorded, duplicates included. */
  recorded: number;
  /** Tasks (jobs) with no reminder, and with more than one. */
  missing: number;
  duplicates: number;
  p50: number;
  p99: number;
  max: number;
  min: number;
  /** Recorded per second from the window start to the last one recorded. */
  perSecond: number;
  windowStart: string;
  windowMs: number;
  /** Milliseconds between the end of scheduling (tasks created and reminders queued, or bare jobs added) and the first due time; negative = late. */
  scheduleMarginMs: number;
  setup: Record<string, number>;
  /** CPU of this process (server or bare worker, plus the bench's idle polling) over the window, % of one core. */
  cpuPercent: number;
  /** redis-server's CPU over the window, % of one core (null without Redis). */
  redisCpuPercent: number | null;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  slices: SliceFigures[];
  /** A reconciliation pass (every 5 minutes, wall-clock aligned) fell inside the window. */
  reconcileInWindow: boolean;
  queueAfter: Record<string, number> | null;
  profile: string | null;
}

export interface S7Result {
  rows: Row[];
  details: { plan: Plan; reps: number; tuning: string; redis: string; runs: ReminderRun[] };
}

const LABEL: Record<Kind, string> = { embedded: 'embedded queue (SQLite)', bullmq: 'BullMQ (Redis)', bare: 'bare BullMQ' };

function ok<T>(reply: Reply<T>, status: number, what: string): T {
  if (reply.status !== status) throw new Error(`S7 ${what}: expected ${status}, got ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`);
  return reply.body;
}

interface Sample {
  id: string;
  dueAt: number;
  at: number;
}

/** Lateness figures over the samples of one run; `ids` are those expected (each once). */
function figures(samples: readonly Sample[], ids: readonly string[], windowStart: number, plan: Plan): Pick<ReminderRun, 'recorded' | 'missing' | 'duplicates' | 'p50' | 'p99' | 'max' | 'min' | 'perSecond' | 'slices'> {
  const count = new Map<string, number>();
  for (const s of samples) count.set(s.id, (count.get(s.id) ?? 0) + 1);
  let missing = 0;
  let duplicates = 0;
  for (const id of ids) {
    const c = count.get(id) ?? 0;
    if (c === 0) missing++;
    else if (c > 1) duplicates++;
  }
  const lateness = samples.map((s) => s.at - s.dueAt);
  const last = samples.reduce((m, s) => Math.max(m, s.at), windowStart);
  const slices: SliceFigures[] = [];
  for (let k = 0; k < plan.slices; k++) {
    const from = (k * plan.windowMs) / plan.slices;
    const to = ((k + 1) * plan.windowMs) / plan.slices;
    const inSlice = samples.filter((s) => s.dueAt - windowStart >= from && (s.dueAt - windowStart < to || k === plan.slices - 1)).map((s) => s.at - s.dueAt);
    slices.push({ fromS: from / 1000, toS: to / 1000, count: inSlice.length, p50: percentile(inSlice, 50), p99: percentile(inSlice, 99), max: inSlice.length ? Math.max(...inSlice) : Number.NaN });
  }
  return {
    recorded: samples.length,
    missing,
    duplicates,
    p50: percentile(lateness, 50),
    p99: percentile(lateness, 99),
    max: lateness.length ? Math.max(...lateness) : Number.NaN,
    min: lateness.length ? Math.min(...lateness) : Number.NaN,
    perSecond: last > windowStart ? samples.length / ((last - windowStart) / 1000) : 0,
    slices,
  };
}

/** CPU of this process, redis-server's CPU and this event loop's delay, from start() to stop(). */
class Meter {
  private readonly loop = monitorEventLoopDelay({ resolution: 10 });
  private cpu = process.cpuUsage();
  private redisCpu: number | null = null;
  private t0 = Date.now();
  private session: Session | null = null;

  constructor(
    private readonly redis: Redis | null,
    private readonly profileDir: string | null,
  ) {}

  async start(): Promise<void> {
    if (this.profileDir) {
      this.session = new Session();
      this.session.connect();
      await this.session.post('Profiler.enable');
      await this.session.post('Profiler.setSamplingInterval', { interval: 1000 });
      await this.session.post('Profiler.start');
    }
    this.redisCpu = this.redis ? await redisCpuSeconds(this.redis) : null;
    this.loop.reset();
    this.loop.enable();
    this.cpu = process.cpuUsage();
    this.t0 = Date.now();
  }

  async stop(): Promise<Pick<ReminderRun, 'cpuPercent' | 'redisCpuPercent' | 'loopDelayP99Ms' | 'loopDelayMaxMs' | 'profile'>> {
    const used = process.cpuUsage(this.cpu);
    const wall = Math.max(1, Date.now() - this.t0);
    this.loop.disable();
    const redisCpu = this.redis && this.redisCpu !== null ? await redisCpuSeconds(this.redis) : null;
    let profile: string | null = null;
    if (this.session && this.profileDir) {
      const { profile: data } = await this.session.post('Profiler.stop');
      this.session.disconnect();
      mkdirSync(this.profileDir, { recursive: true });
      profile = join(this.profileDir, 'main.cpuprofile');
      writeFileSync(profile, JSON.stringify(data));
    }
    return {
      cpuPercent: (100 * (used.user + used.system)) / 1000 / wall,
      redisCpuPercent: redisCpu !== null && this.redisCpu !== null ? (100 * (redisCpu - this.redisCpu) * 1000) / wall : null,
      loopDelayP99Ms: this.loop.percentile(99) / 1e6,
      loopDelayMaxMs: this.loop.max / 1e6,
      profile,
    };
  }
}

async function redisCpuSeconds(client: Redis): Promise<number> {
  const info = await client.info('cpu');
  const value = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
  return value('used_cpu_sys') + value('used_cpu_user');
}

const reconcileInWindow = (from: number, to: number): boolean => Math.floor(from / RECONCILE_EVERY_MS) !== Math.floor(to / RECONCILE_EVERY_MS);

interface Person {
  id: string;
  token: string;
  email: string;
}

async function register(url: string, name: string): Promise<Person> {
  const email = `s7.${name.toLowerCase()}.${randomUUID().slice(0, 8)}@example.test`;
  const body = ok(await call<{ user: { id: string }; token: string }>('POST', `${url}/api/auth/register`, { body: { email, name, password: 'correct horse battery staple' } }), 201, 'register');
  return { id: body.user.id, token: body.token, email };
}

/** The address counts as proven (as after the mailed link), so the owner adds the assignee directly instead of inviting. */
async function markVerified(server: RunningServer, userId: string): Promise<void> {
  const user = await server.store.users.get(userId);
  if (!user || (user as { verified?: boolean }).verified !== false) return;
  await server.store.write({ projectId: null }, (uow) => uow.replace('users', { ...user, verified: true }));
}

const DESCRIPTION = 'Check the release notes against the plan and close what is done; the reminder fires at the due time.';

/** Creates `count` tasks assigned to `assigneeId`, `lanes` requests at a time, task i due at `dueAt(i)` (or none). */
async function createTasks(url: string, token: string, projectId: string, assigneeId: string, count: number, lanes: number, dueAt: (i: number) => number | null): Promise<{ id: string; dueAt: string | null }[]> {
  const tasks: { id: string; dueAt: string | null }[] = Array.from({ length: count }, () => ({ id: '', dueAt: null }));
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(lanes, count) }, async () => {
      while (next < count) {
        const i = next++;
        const due = dueAt(i);
        const body = {
          title: `Reminder bench task ${String(i).padStart(5, '0')} for the assignee`,
          description: DESCRIPTION,
          status: 'todo',
          labels: ['bench'],
          assigneeId,
          ...(due === null ? {} : { dueAt: new Date(due).toISOString() }),
        };
        const task = ok(await call<{ id: string; dueAt: string | null }>('POST', `${url}/api/projects/${projectId}/tasks`, { token, body }), 201, 'create task');
        tasks[i] = { id: task.id, dueAt: task.dueAt };
      }
    }),
  );
  return tasks;
}

/** Waits until the notifier's feed cursor of the project reached its last change: every reminder is queued then. */
async function feedCaughtUp(server: RunningServer, projectId: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [last, cursor] = await Promise.all([server.store.changes.lastSeq(projectId), server.store.feedCursors.get(feedCursorId(projectId))]);
    if ((cursor?.seq ?? 0) >= last) return;
    if (Date.now() > deadline) throw new Error(`S7: the notifier's feed cursor is at ${cursor?.seq ?? 0} of ${last} after ${timeoutMs} ms`);
    await sleep(50);
  }
}

async function runTaskwire(mode: Mode, rep: number, plan: Plan, redis: RedisServer, admin: Redis, settings: Settings): Promise<ReminderRun> {
  if (mode === 'bullmq') await admin.flushall();
  const dataDir = mkdtempSync(join(tmpdir(), 'tw-bench-s7-'));
  mkdirSync(LOG_DIR, { recursive: true });
  const logFile = join(LOG_DIR, `s7-${mode}-${process.pid}-${rep}.log`);
  // The product's logger (level info), into a file rather than the bench's output.
  const logger = pino({ level: 'info', base: { service: 'taskwire' } }, pino.destination({ dest: logFile, sync: true }));
  // Open sign-up: the bench registers its two people itself.
  const env: Record<string, string> = { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, REGISTRATION: 'open', ...(mode === 'bullmq' ? { REDIS_URL: redis.url } : {}) };
  // Product job tuning (no `jobs` in the tuning): embedded poll 500 ms, leases 30 s, concurrency 8.
  const server = await startServer(loadConfig(env), logger, BENCH_TUNING).catch((error: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  try {
    const url = `http://127.0.0.1:${(server.http.address() as AddressInfo).port}`;
    const owner = await register(url, 'Owner');
    const assignee = await register(url, 'Assignee');
    await markVerified(server, assignee.id);
    const project = ok(await call<{ id: string }>('POST', `${url}/api/projects`, { token: owner.token, body: { name: 'Reminder bench', description: 'Tasks due within one window' } }), 201, 'create project');
    ok(await call('POST', `${url}/api/projects/${project.id}/members`, { token: owner.token, body: { email: assignee.email, role: 'member' } }), 201, 'add member');
    ok(await call('PATCH', `${url}/api/me`, { token: assignee.token, body: { notify: { remindBefore: 0, channels: { email: false } } } }), 200, 'preferences');

    // Pilot: tasks without a due date take the same path (created, assigned notice, reminders considered), nothing due.
    const pilotN = Math.max(50, Math.min(500, Math.round(plan.n / 20)));
    const pilotStart = Date.now();
    await createTasks(url, owner.token, project.id, assignee.id, pilotN, plan.lanes, () => null);
    await feedCaughtUp(server, project.id, 120_000);
    const pilotMs = Date.now() - pilotStart;
    // 1.6 × the pilot's pace plus 3 s, but a pilot slowed by a busy moment must not idle the run for minutes:
    // at most 10 ms a task (100 tasks/s). Scheduling that ends after the first due time is reported below.
    const leadMs = Math.min(Math.max(5_000, Math.round((pilotMs / pilotN) * plan.n * 1.6) + 3_000), Math.max(20_000, plan.n * 10));

    const windowStart = Date.now() + leadMs;
    const dueAt = (i: number) => windowStart + Math.floor((i * plan.windowMs) / plan.n);
    const createStart = Date.now();
    const tasks = await createTasks(url, owner.token, project.id, assignee.id, plan.n, plan.lanes, dueAt);
    const createMs = Date.now() - createStart;
    await feedCaughtUp(server, project.id, leadMs + 120_000);
    const scheduledAt = Date.now();
    const queued = await server.jobs.queue.counts();
    const margin = windowStart - scheduledAt;
    progress(
      `S7 ${mode}: pilot ${pilotN} tasks in ${fmt(pilotMs)} ms; ${fmt(plan.n)} tasks created in ${fmt(createMs / 1000, 1)} s (${fmt(plan.n / (createMs / 1000))}/s), ` +
        `reminders queued ${fmt(margin)} ms before the first due time; queue: ${queued.delayed} delayed, ${queued.waiting} waiting`,
    );
    if (margin < 0) progress(`S7 WARNING ${mode}: scheduling finished ${fmt(-margin)} ms after the first due time; the earliest reminders were queued late`);

    const unreadBefore = await server.store.notifications.countUnread(assignee.id);
    const meter = new Meter(mode === 'bullmq' ? admin : null, settings.profile ? join(PROFILE_DIR, `s7-${mode}-${Date.now()}`) : null);
    await sleep(Math.max(0, windowStart - Date.now() - 200));
    await meter.start();
    const lastDue = dueAt(plan.n - 1);
    let unread = unreadBefore;
    let lastChange = Date.now();
    while (unread - unreadBefore < plan.n && Date.now() < lastDue + plan.graceMs) {
      await sleep(500);
      const now = await server.store.notifications.countUnread(assignee.id);
      if (now !== unread) lastChange = Date.now();
      unread = now;
      // Nothing more for 15 s after the window: the rest will not come.
      if (Date.now() > lastDue + 15_000 && Date.now() - lastChange > 15_000) break;
    }
    const measured = await meter.stop();
    const queueAfter = await server.jobs.queue.counts();

    const dueOf = new Map(tasks.map((t) => [t.id, Date.parse(t.dueAt!)]));
    const samples: Sample[] = [];
    let cursor: string | null = null;
    do {
      const page = await server.store.notifications.listByUser(assignee.id, { unreadOnly: false }, { limit: 1_000, cursor });
      for (const n of page.items) {
        if (n.event !== 'overdue' || !n.taskId) continue;
        const due = dueOf.get(n.taskId);
        if (due !== undefined) samples.push({ id: n.taskId, dueAt: due, at: Date.parse(n.createdAt) });
      }
      cursor = page.nextCursor;
    } while (cursor);
    const last = samples.reduce((m, s) => Math.max(m, s.at), windowStart);
    return {
      kind: mode,
      rep,
      expected: plan.n,
      ...figures(samples, tasks.map((t) => t.id), windowStart, plan),
      windowStart: new Date(windowStart).toISOString(),
      windowMs: plan.windowMs,
      scheduleMarginMs: margin,
      setup: { pilotTasks: pilotN, pilotMs, leadMs, createMs },
      ...measured,
      reconcileInWindow: reconcileInWindow(windowStart, last),
      queueAfter: { ...queueAfter },
    };
  } finally {
    await server.stop(2_000);
    logger.flush();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function runBare(rep: number, plan: Plan, redis: RedisServer, admin: Redis): Promise<ReminderRun> {
  await admin.flushall();
  // Adding is fast (addBulk); the window starts after a lead that covers it with room to spare.
  const leadMs = Math.max(3_000, Math.round(plan.n * 0.5));
  const windowStart = Date.now() + leadMs;
  const dueTimes = Array.from({ length: plan.n }, (_, i) => windowStart + Math.floor((i * plan.windowMs) / plan.n));
  const meter = new Meter(admin, null);
  // Measure from the window start: started when adding is done (the wait before it is idle).
  const result = await (async () => {
    const running = runBareDelayed({ url: redis.url, dueTimes, concurrency: CONCURRENCY, graceMs: plan.graceMs });
    // Awaited below; a failure during the wait must not count as unhandled.
    running.catch(() => undefined);
    await sleep(Math.max(0, windowStart - Date.now() - 200));
    await meter.start();
    return running;
  })();
  const measured = await meter.stop();
  const margin = windowStart - result.addedAt;
  if (margin < 0) progress(`S7 WARNING bare: adding the jobs finished ${fmt(-margin)} ms after the first due time`);
  const samples = result.deliveries.map((d) => ({ id: d.id, dueAt: d.dueAt, at: d.at }));
  return {
    kind: 'bare',
    rep,
    expected: plan.n,
    ...figures(samples, dueTimes.map((_, i) => `r${i}`), windowStart, plan),
    windowStart: new Date(windowStart).toISOString(),
    windowMs: plan.windowMs,
    scheduleMarginMs: margin,
    setup: { leadMs },
    ...measured,
    reconcileInWindow: false,
    queueAfter: null,
  };
}

function describe(run: ReminderRun): string {
  const slices = run.slices.map((s) => fmt(s.p99)).join(' ');
  return (
    `${fmt(run.recorded)}/${fmt(run.expected)} recorded, lateness p50 ${fmt(run.p50)} ms, p99 ${fmt(run.p99)} ms, max ${fmt(run.max)} ms, ${fmt(run.perSecond, 1)}/s; ` +
    `CPU ${fmt(run.cpuPercent)}%${run.redisCpuPercent === null ? '' : `, redis ${fmt(run.redisCpuPercent)}%`}, loop delay p99 ${fmt(run.loopDelayP99Ms, 1)} ms (max ${fmt(run.loopDelayMaxMs)}); ` +
    `p99 per ${fmt(run.windowMs / 1000 / run.slices.length)}-s slice of due times: ${slices} ms${run.reconcileInWindow ? '; a 5-minute reconciliation fell in the window' : ''}`
  );
}

export async function runS7(settings: Settings, reps: number): Promise<S7Result> {
  const plan = settings.quick ? PLANS.quick : PLANS.full;
  const redis = await startRedis();
  if (!redis) throw new Error('S7 needs redis-server on PATH (BullMQ mode and the bare baseline)');
  const admin = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  const tuning = 'product defaults (no tuning.jobs): embedded queue pollMs 500, leaseMs 30,000; BullMQ lock and stalled check 30 s; concurrency 8';
  progress(`S7: ${fmt(plan.n)} reminders due over ${plan.windowMs / 1000} s, ${reps} repetition(s); Taskwire in this process, job tuning: ${tuning}; redis ${redis.url}`);
  const runs: ReminderRun[] = [];
  try {
    for (let rep = 0; rep < reps; rep++) {
      for (const kind of alternate<Kind>(rep, ['bare'], ['embedded', 'bullmq'])) {
        const run = kind === 'bare' ? await runBare(rep, plan, redis, admin) : await runTaskwire(kind, rep, plan, redis, admin, settings);
        runs.push(run);
        progress(`S7 rep ${rep + 1}/${reps} ${kind.padEnd(8)} ${describe(run)}`);
        if (run.missing > 0 || run.duplicates > 0) {
          progress(`S7 FAIL ${LABEL[kind]}: ${fmt(run.missing)} of ${fmt(run.expected)} got no reminder, ${fmt(run.duplicates)} got more than one`);
        }
        if (run.profile) progress(`S7 ${kind}: CPU profile of the window in ${run.profile}`);
      }
    }
  } finally {
    admin.disconnect();
    await redis.stop();
  }

  const of = (kind: Kind) => runs.filter((r) => r.kind === kind);
  const bare = of('bare');
  const p99Target: Target = { text: `≤ ${fmt(TARGET_P99_MS)} ms`, kind: 'value-at-most', limit: TARGET_P99_MS };
  const onceTarget: Target = { text: '= 0', kind: 'value-at-most', limit: 0 };
  const rows: Row[] = [];
  for (const mode of ['embedded', 'bullmq'] as const) {
    const tw = of(mode);
    const scenario = 'S7 reminders';
    const name = LABEL[mode];
    rows.push(
      { scenario, figure: `lateness p50, ${name}`, unit: 'ms', tw: tw.map((r) => r.p50), bare: bare.map((r) => r.p50), bareName: 'BullMQ delayed', digits: 0 },
      { scenario, figure: `lateness p99, ${name}`, unit: 'ms', tw: tw.map((r) => r.p99), bare: bare.map((r) => r.p99), bareName: 'BullMQ delayed', target: p99Target, digits: 0 },
      { scenario, figure: `lateness max, ${name}`, unit: 'ms', tw: tw.map((r) => r.max), bare: bare.map((r) => r.max), bareName: 'BullMQ delayed', digits: 0 },
      { scenario, figure: `reminders recorded, ${name}`, unit: '/s', tw: tw.map((r) => r.perSecond), bare: bare.map((r) => r.perSecond), bareName: 'BullMQ delayed', digits: 1 },
      {
        scenario,
        figure: `tasks not reminded exactly once, ${name}`,
        unit: 'count',
        tw: tw.map((r) => r.missing + r.duplicates),
        bare: bare.map((r) => r.missing + r.duplicates),
        bareName: 'BullMQ delayed',
        target: onceTarget,
        digits: 0,
      },
    );
  }
  return { rows, details: { plan, reps, tuning, redis: redis.url, runs } };
}
