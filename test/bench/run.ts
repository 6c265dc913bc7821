// npm run bench [-- --quick] [--out FILE] [--only S1,S1-MONGO,S2,S2-SQLITE,S2-MONGO,S3,S7,S8,S9,S10,S11,S12] [--profile] [--n 1000,5000] [--reps 3]
//
// Runs the scenarios (S1 REST read, S2 REST write (SQLite against a bare Koa +
// SQLite + socket.io PATCH server; MongoDB mode on FerretDB), S3 fan-out + S5
// reconnect + S6 memory, S7 reminders, S8 Slack ack, S9 widget size, S10
// analytics, S11 two nodes on the Redis bus), each Taskwire figure against a bare baseline in
// the same run, alternating and repeated; prints a table and writes JSON
// (.cache/bench/latest.json, or --out FILE). Servers and clients run in child
// processes; everything targets 127.0.0.1 and every loop is bounded.

import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stopBacking } from './lib/backing.js';
import { CACHE_DIR, PROFILE_DIR } from './lib/paths.js';
import { Phases } from './lib/phases.js';
import { fmt, progress } from './lib/progress.js';
import { createWorkspace } from './lib/rest.js';
import { settingsFor, type Settings } from './lib/settings.js';
import { startTaskwire, type TaskwireChild } from './lib/taskwire.js';
import { versions } from './lib/versions.js';
import { evaluate, formatTable, type Row } from './report.js';
import { runRealtime } from './scenarios/realtime.js';
import { runS1 } from './scenarios/s1-rest-read.js';
import { runS2, runS2Mongo } from './scenarios/s2-rest-write.js';
import { pacedWrites } from './scenarios/s3-fanout.js';
import { runS7 } from './scenarios/s7-reminders.js';
import { runS8 } from './scenarios/s8-slack-ack.js';
import { runS9 } from './scenarios/s9-widget.js';
import { runS10 } from './scenarios/s10-analytics.js';
import { runS11 } from './scenarios/s11-two-nodes.js';
import { runS12 } from './scenarios/s12-big-board.js';
import { NOISY_SPREAD } from './stats.js';

interface Args {
  quick: boolean;
  out: string;
  only: Set<string> | null;
  profile: boolean;
  ns: number[] | null;
  reps: number | null;
}

function count(value: string | undefined, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`expected a whole number from 1 to ${max}, got ${value}`);
  return n;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { quick: false, out: join(CACHE_DIR, 'latest.json'), only: null, profile: false, ns: null, reps: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick') args.quick = true;
    else if (arg === '--profile') args.profile = true;
    else if (arg === '--out' && argv[i + 1]) args.out = resolve(argv[++i]!);
    else if (arg === '--n' && argv[i + 1]) args.ns = argv[++i]!.split(',').map((v) => count(v, 10_000));
    else if (arg === '--reps' && argv[i + 1]) args.reps = count(argv[++i], 9);
    else if (arg === '--only' && argv[i + 1]) {
      const names = argv[++i]!.toUpperCase().split(',').map((s) => s.trim());
      // S3, S5 and S6 share their sessions.
      // S2 runs on SQLite (against the bare server) and in MongoDB mode; S2-SQLITE and S2-MONGO pick one.
      args.only = new Set(names.flatMap((name) => (['S3', 'S5', 'S6'].includes(name) ? ['RT'] : name === 'S2' ? ['S2-SQLITE', 'S2-MONGO'] : [name])));
    } else throw new Error(`unknown argument ${arg}; use --quick, --out FILE, --only S1,S1-MONGO,S2,S2-SQLITE,S2-MONGO,S3,S7,S8,S9,S10,S11,S12, --profile, --n 1000,5000, --reps K`);
  }
  return args;
}

const loadavg = () => os.loadavg().map((v) => Number(v.toFixed(2)));

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const settings: Settings = { ...settingsFor(args.quick), profile: args.profile, only: args.only };
  if (args.ns) settings.ns = args.ns;
  if (args.reps) settings.reps = args.reps;
  const wants = (name: string) => !settings.only || settings.only.has(name);
  const started = performance.now();
  const startedAt = new Date().toISOString();
  // A safety net far above the budgets (3 min quick, 15 min full): the run stops by itself whatever happens. On a
  // machine loaded to 10+ by other work a --quick run took 8 min, so the net is 12 min (quick) and 30 min (full).
  const watchdog = setTimeout(() => {
    console.error('bench: the run exceeded its hard time limit; stopping');
    process.exit(3);
  }, (args.quick ? 12 : 30) * 60_000);
  watchdog.unref();

  const pkgs = versions();
  progress(`Taskwire bench (${args.quick ? 'quick' : 'full'}): ${Object.entries(pkgs).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  progress(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; load ${loadavg().join(' ')}`);

  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  const errors: { scenario: string; error: string }[] = [];
  const load: Record<string, { start: number[]; end: number[]; seconds: number }> = {};
  const step = async <T extends { rows: Row[]; details: unknown }>(name: string, work: () => Promise<T>): Promise<void> => {
    const t0 = performance.now();
    const start = loadavg();
    progress(`${name}: start (load ${start.join(' ')})`);
    try {
      const result = await work();
      rows.push(...result.rows);
      details[name] = result.details;
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      errors.push({ scenario: name, error: message });
      progress(`${name}: FAILED ${message}`);
    }
    load[name] = { start, end: loadavg(), seconds: Number(((performance.now() - t0) / 1000).toFixed(1)) };
  };

  if (wants('S1') || wants('S2-SQLITE') || wants('S9')) {
    let rest: TaskwireChild | null = null;
    try {
      rest = await startTaskwire(settings, 'rest');
      const server = rest;
      const ws = await createWorkspace(server.url, 200);
      progress(`Taskwire child at ${server.url} (open files ${server.nofile}); workspace with ${ws.tasks.length} tasks`);
      if (wants('S9')) await step('S9', () => runS9(server.url));
      const phases = new Phases(server.child);
      if (wants('S1')) await step('S1', () => runS1(settings, ws, phases));
      if (wants('S2-SQLITE')) await step('S2', () => runS2(settings, server, ws, phases));
    } catch (error) {
      errors.push({ scenario: 'REST setup', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      progress(`REST setup FAILED: ${String(error)}`);
    } finally {
      await rest?.child.stop();
    }
  }
  // MongoDB mode on the FerretDB test server (started once for S2 and S11), after the SQLite server has stopped.
  // About 40 s even when short (FerretDB, a 200-task workspace, 10 s runs): not in --quick unless named.
  if (args.quick ? settings.only?.has('S2-MONGO') === true : wants('S2-MONGO')) await step('S2 MongoDB', () => runS2Mongo(settings, args.reps ?? (args.quick ? 1 : settings.reps)));
  if (wants('RT')) await step('S3/S5/S6', () => runRealtime(settings));
  // --quick is the loop a change to the core is checked with (S1, S2, S3/S5/S6, S9: under 3 minutes); the
  // scenarios of a minute or more each run there only when named.
  const slow = (name: string) => (args.quick ? settings.only?.has(name) === true : wants(name));
  // S7 windows last a minute each: one repetition unless --reps says otherwise.
  if (slow('S7')) await step('S7', () => runS7(settings, args.reps ?? 1));
  if (slow('S8')) await step('S8', () => runS8(settings));
  if (slow('S10')) await step('S10', () => runS10(settings));
  if (slow('S11')) await step('S11', () => runS11(settings, args.reps ?? (args.quick ? 1 : settings.reps)));
  await stopBacking();
  if (slow('S12')) await step('S12', () => runS12());

  const evaluated = rows.map(evaluate);
  const wallSeconds = (performance.now() - started) / 1000;
  const lines = [
    '',
    `Taskwire bench, ${args.quick ? 'quick' : 'full'} run, ${startedAt}; wall time ${wallSeconds.toFixed(1)} s`,
    `versions: ${Object.entries(pkgs).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `settings: ${settings.reps} repetitions (bare and Taskwire alternating), autocannon ${settings.cannonSeconds} s × ${settings.connections} connections, ` +
      `S2 ${settings.s2Sockets} sockets, N = ${settings.ns.join(', ')}, S3 ${pacedWrites(settings)} writes at ${settings.pacedPerSecond}/s then ${settings.burst} back-to-back, S5 ${settings.missed} missed changes, ` +
      `S11 2 × ${fmt(settings.s11Sockets)} sockets, ${settings.s11Writes} writes at ${settings.s11PerSecond}/s`,
    '',
    formatTable(evaluated),
    '',
    `"!" marks a figure whose spread (max − min) / median is over ${NOISY_SPREAD * 100}%. Ratio = Taskwire median / bare median.`,
    `load average (1/5/15 min) per scenario: ${Object.entries(load).map(([name, l]) => `${name} ${l.start.join(' ')} → ${l.end.join(' ')} (${l.seconds} s)`).join('; ')}`,
  ];
  const misses = evaluated.filter((r) => r.mark === 'MISS');
  lines.push(misses.length ? `missed targets: ${misses.map((r) => `${r.scenario} ${r.figure} ${r.bareName ? `vs ${r.bareName}` : ''}`.trim()).join('; ')}` : 'missed targets: none');
  if (errors.length) lines.push(`errors: ${errors.map((e) => `${e.scenario}: ${e.error.split('\n')[0]}`).join('; ')}`);
  if (settings.profile) lines.push(`CPU profiles of the Taskwire children: ${PROFILE_DIR}`);

  const json = {
    startedAt,
    finishedAt: new Date().toISOString(),
    wallSeconds: Number(wallSeconds.toFixed(1)),
    mode: args.quick ? 'quick' : 'full',
    settings: { ...settings, only: settings.only ? [...settings.only] : null },
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? null, totalMemBytes: os.totalmem(), platform: `${os.platform()} ${os.release()}` },
    versions: pkgs,
    load,
    rows: evaluated,
    details,
    errors,
  };
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, `${JSON.stringify(json, null, 2)}\n`);
  lines.push(`JSON: ${args.out}`);
  console.log(lines.join('\n'));
  return errors.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
