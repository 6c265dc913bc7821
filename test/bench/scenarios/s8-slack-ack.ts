// S8: Slack slash-command ack latency under S1's read load. Signed `/task`
// commands (4 in 5 `list`, 1 in 5 `add …`) at a steady 20/s (20 s; --quick 6 s),
// open loop, to POST /slack/events, while autocannon reads
// GET /api/projects/:id/tasks?limit=200 (200 tasks, authenticated, 50 connections,
// as S1) from the same server. The ack is the HTTP answer Slack waits for (3 s
// deadline); the reply goes to the response_url later. Figures: ack p50/p99/max
// (request start → HTTP 200 read, by the sender), the reply's p99 (request start →
// response_url POST received) and the reads' throughput over the window.
//
// Where an ack's time goes: the sender traces fetch's phases (undici's
// diagnostics channels) and each server child records, per request, its
// 'request' event and when the answer was handed to the socket, plus its
// event-loop delay (lib/server-probe.ts); the two are matched by connection
// (port) and order. Acks on new connections (the first request the server saw
// on its socket) are reported apart from those on kept-alive ones: Node accepts
// one connection per event-loop turn (libuv ≥ 1.45), so under a load that makes
// the turns long a new connection waits in the kernel's accept queue.
//
// Taskwire: a server child with the Slack adapter over HTTP (SLACK_BOT_TOKEN,
// SLACK_SIGNING_SECRET, SLACK_API_URL at the Slack double) and open
// registration; its owner is connected to the Slack user (`/task connect`, then
// POST /api/me/identities) and the channel linked (`/task link`) to a second
// project seeded like the first, so the `add`s leave the read load's payload
// unchanged. Bare: one child serving S1's bare Koa route (the same payload
// bytes) and a bare Bolt App (HTTPReceiver on its own port, same signing
// secret) whose `/task` acks at once and then calls respond(): one process for
// reads and Slack on both sides. Slack's side (the double and the command
// sender) is a child of its own; autocannon runs in the bench process, as in S1.

import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startChild, type BenchChild } from '../lib/child.js';
import { clockOffset } from '../lib/clock.js';
import { taskInput } from '../lib/fixtures.js';
import { cannon, type LoadResult } from '../lib/load.js';
import { CACHE_DIR } from '../lib/paths.js';
import { Phases } from '../lib/phases.js';
import { alternate, fmt, progress } from '../lib/progress.js';
import { call, createWorkspace, type Reply, type TaskJson } from '../lib/rest.js';
import type { Settings } from '../lib/settings.js';
import type { ProbeWindow } from '../lib/server-probe.js';
import type { CommandResult, DriverReady, FetchTrace, StreamResult, StreamSample } from '../lib/slack-driver.js';
import type { Row, Target } from '../report.js';
import { percentile } from '../stats.js';

type Kind = 'taskwire' | 'bare';

interface Plan {
  perSecond: number;
  seconds: number;
  /** Reads run alone this long before the first command, and this long after the last one. */
  leadMs: number;
  /** Commands in each side's warm-up window (discarded). */
  warmupCommands: number;
}

const PLANS: Record<'quick' | 'full', Plan> = {
  quick: { perSecond: 20, seconds: 6, leadMs: 1_000, warmupCommands: 20 },
  full: { perSecond: 20, seconds: 20, leadMs: 1_000, warmupCommands: 40 },
};

/** One in five commands writes (a task), the rest read: what people type most is `list`. */
const TEXTS = ['list', 'list', 'add Follow up on the Slack thread about the release notes', 'list', 'list'];
const TARGET_ACK_P99_MS = 50;
const REPLY_TIMEOUT_MS = 10_000;
const BARE_NAME = 'bare Bolt (+ Koa reads)';

export interface SlackRun {
  kind: Kind;
  rep: number;
  sent: number;
  /** Commands answered 200. */
  acked: number;
  /** Commands answered otherwise or not at all, and those acked whose reply never came. */
  notAcked: number;
  noReply: number;
  ackP50: number;
  ackP99: number;
  ackMax: number;
  /** Ack p99 of the `list` and the `add` commands apart. */
  ackP99List: number;
  ackP99Add: number;
  replyP50: number;
  replyP99: number;
  /** The sender's own lag behind its schedule (should stay near 0). */
  senderLagMaxMs: number;
  statuses: Record<string, number>;
  /** Where the acks' time went: each command's client trace matched with the server's view of it. */
  path: AckPath;
  /** Seen from the server: its 'request' event → the answer handed to the socket, and its event-loop delay. */
  server: { ackP50: number; ackP99: number; ackMax: number; count: number; loopP99: number; loopMax: number; gcCount: number; gcTotalMs: number; gcMaxMs: number; slowest: { offsetMs: number; ms: number }[] };
  /** The slowest acks: when in the stream (ms after the first command), how long, which command. */
  slowest: { offsetMs: number; ackMs: number | null; text: string }[];
  reads: LoadResult;
  /** Every command as sent (client samples, fetch traces) and as the server saw it; clocks as recorded (see offsets). */
  raw: { firstAt: number; offsets: Offsets; samples: StreamSample[]; trace: FetchTrace[]; server: ProbeWindow['requests'] };
}

export interface S8Result {
  rows: Row[];
  details: { plan: Plan; payloadBytes: number; runs: SlackRun[] };
}

function ok<T>(reply: Reply<T>, status: number, what: string): T {
  if (reply.status !== status) throw new Error(`S8 ${what}: expected ${status}, got ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`);
  return reply.body;
}

/** Clock offsets (child − bench process), ms. */
interface Offsets {
  driver: number;
  server: number;
}

export interface AckPath {
  /** Commands whose client trace was matched with the server's request (same connection, same order). */
  matched: number;
  /** fetch: request created → headers written to a socket. */
  waitP99: number;
  /** Headers written → the server's 'request' event: in the kernel, or waiting for the server's loop to read and parse. */
  toServerP50: number;
  toServerP99: number;
  toServerMax: number;
  /** The server's 'request' event → the answer handed to the socket. */
  handledP99: number;
  /** The answer handed to the socket → its headers read by the client. */
  backP99: number;
  backMax: number;
  /** Commands that came on a new connection (the first request the server saw on it), and the acks of each kind. */
  fresh: number;
  ackP50Reused: number;
  ackP99Reused: number;
  ackP50Fresh: number;
  ackP99Fresh: number;
  /** The slowest command, split. */
  worst: { offsetMs: number; waitMs: number; toServerMs: number; handledMs: number; backMs: number } | null;
}

const round = (value: number) => Number(value.toFixed(1));

/** Items grouped by connection (port), each group in time order. */
function byPort<T>(items: T[], port: (item: T) => number, at: (item: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const item of items) out.set(port(item), [...(out.get(port(item)) ?? []), item]);
  for (const list of out.values()) list.sort((a, b) => at(a) - at(b));
  return out;
}

/** Matches each command's fetch trace with the server's record of it: the n-th request on a connection (port) on both sides. */
function ackPath(stream: StreamResult, probe: ProbeWindow, offsets: Offsets): AckPath {
  const client = byPort(
    stream.trace.filter((t) => t.sentAt !== null && t.headersAt !== null),
    (t) => t.port,
    (t) => t.sentAt!,
  );
  const server = byPort(probe.requests, (r) => r.port, (r) => r.at);
  // Everything on the bench process's clock.
  const pairs: { trace: FetchTrace; at: number; ms: number; first: boolean }[] = [];
  for (const [port, traces] of client) {
    const seen = server.get(port) ?? [];
    traces.forEach((trace, i) => {
      const request = seen[i];
      if (request) pairs.push({ trace, at: request.at - offsets.server + offsets.driver, ms: request.ms, first: request.first });
    });
  }
  const split = pairs.map(({ trace, at, ms, first }) => ({
    first,
    offsetMs: trace.createdAt - stream.firstAt,
    waitMs: trace.sentAt! - trace.createdAt,
    toServerMs: at - trace.sentAt!,
    handledMs: ms,
    backMs: trace.headersAt! - (at + ms),
    totalMs: trace.headersAt! - trace.createdAt,
  }));
  const of = (key: 'waitMs' | 'toServerMs' | 'handledMs' | 'backMs') => split.map((s) => s[key]);
  const worst = [...split].sort((a, b) => b.totalMs - a.totalMs)[0];
  return {
    matched: pairs.length,
    waitP99: percentile(of('waitMs'), 99),
    toServerP50: percentile(of('toServerMs'), 50),
    toServerP99: percentile(of('toServerMs'), 99),
    toServerMax: Math.max(...of('toServerMs')),
    handledP99: percentile(of('handledMs'), 99),
    backP99: percentile(of('backMs'), 99),
    backMax: Math.max(...of('backMs')),
    fresh: split.filter((s) => s.first).length,
    ackP50Reused: percentile(split.filter((s) => !s.first).map((s) => s.totalMs), 50),
    ackP99Reused: percentile(split.filter((s) => !s.first).map((s) => s.totalMs), 99),
    ackP50Fresh: percentile(split.filter((s) => s.first).map((s) => s.totalMs), 50),
    ackP99Fresh: percentile(split.filter((s) => s.first).map((s) => s.totalMs), 99),
    worst: worst ? { offsetMs: round(worst.offsetMs), waitMs: round(worst.waitMs), toServerMs: round(worst.toServerMs), handledMs: round(worst.handledMs), backMs: round(worst.backMs) } : null,
  };
}

function figures(kind: Kind, rep: number, stream: StreamResult, reads: LoadResult, probe: ProbeWindow, offsets: Offsets): SlackRun {
  const samples = stream.samples;
  const acks = samples.flatMap((s) => (s.ackMs === null ? [] : [s.ackMs]));
  const ackOf = (pred: (s: StreamSample) => boolean) => samples.filter((s) => pred(s) && s.ackMs !== null).map((s) => s.ackMs!);
  const replies = samples.flatMap((s) => (s.replyMs === null ? [] : [s.replyMs]));
  const statuses: Record<string, number> = {};
  for (const s of samples) statuses[String(s.status)] = (statuses[String(s.status)] ?? 0) + 1;
  return {
    kind,
    rep,
    sent: samples.length,
    acked: acks.length,
    notAcked: samples.length - acks.length,
    noReply: samples.filter((s) => s.ackMs !== null && s.replyMs === null).length,
    ackP50: percentile(acks, 50),
    ackP99: percentile(acks, 99),
    ackMax: acks.length ? Math.max(...acks) : Number.NaN,
    ackP99List: percentile(ackOf((s) => s.text === 'list'), 99),
    ackP99Add: percentile(ackOf((s) => s.text.startsWith('add ')), 99),
    replyP50: percentile(replies, 50),
    replyP99: percentile(replies, 99),
    senderLagMaxMs: samples.reduce((m, s) => Math.max(m, s.lagMs), 0),
    statuses,
    path: ackPath(stream, probe, offsets),
    server: {
      ackP50: percentile(probe.requests.map((r) => r.ms), 50),
      ackP99: percentile(probe.requests.map((r) => r.ms), 99),
      ackMax: probe.requests.reduce((m, r) => Math.max(m, r.ms), 0),
      count: probe.requests.length,
      loopP99: probe.loopP99,
      loopMax: probe.loopMax,
      gcCount: probe.gcCount,
      gcTotalMs: probe.gcTotalMs,
      gcMaxMs: probe.gcMaxMs,
      slowest: [...probe.requests]
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 5)
        .map((r) => ({ offsetMs: Math.round(r.at - offsets.server + offsets.driver - stream.firstAt), ms: round(r.ms) })),
    },
    slowest: [...samples]
      .sort((a, b) => (b.ackMs ?? Number.POSITIVE_INFINITY) - (a.ackMs ?? Number.POSITIVE_INFINITY))
      .slice(0, 5)
      .map((s) => ({ offsetMs: Math.round(s.offsetMs), ackMs: s.ackMs === null ? null : Number(s.ackMs.toFixed(1)), text: s.text.split(' ')[0]! })),
    reads,
    raw: { firstAt: stream.firstAt, offsets, samples, trace: stream.trace, server: probe.requests },
  };
}

/** Two progress lines: the figures, then where the acks' time went. */
function describe(run: SlackRun): [string, string] {
  const failures = Object.entries(run.statuses).filter(([code]) => code !== '200');
  const readOther = Object.entries(run.reads.statuses).filter(([code]) => !code.startsWith('2'));
  return [
    `ack p50 ${fmt(run.ackP50, 1)} ms, p99 ${fmt(run.ackP99, 1)} ms (list ${fmt(run.ackP99List, 1)}, add ${fmt(run.ackP99Add, 1)}), max ${fmt(run.ackMax, 1)} ms; ` +
    `reply p50 ${fmt(run.replyP50)} ms, p99 ${fmt(run.replyP99)} ms; ${run.acked}/${run.sent} acked${failures.length ? ` (${JSON.stringify(Object.fromEntries(failures))})` : ''}` +
    `${run.noReply ? `, ${run.noReply} without reply` : ''}; reads ${fmt(run.reads.rps)} req/s, p99 ${run.reads.p99} ms` +
    `${readOther.length ? `, non-2xx ${JSON.stringify(Object.fromEntries(readOther))}` : ''}${run.reads.errors ? `, errors ${run.reads.errors}` : ''}; sender lag max ${fmt(run.senderLagMaxMs, 1)} ms`,
    `path of the acks (${run.path.matched} matched): socket wait p99 ${fmt(run.path.waitP99, 1)} ms, written → server's request event p50 ${fmt(run.path.toServerP50, 1)} / p99 ${fmt(run.path.toServerP99, 1)} / max ${fmt(run.path.toServerMax, 1)} ms, ` +
    `handled p99 ${fmt(run.path.handledP99, 1)} ms, answer sent → read p99 ${fmt(run.path.backP99, 1)} / max ${fmt(run.path.backMax, 1)} ms; ` +
    `${run.path.fresh} on new connections (ack p50 ${fmt(run.path.ackP50Fresh, 1)} / p99 ${fmt(run.path.ackP99Fresh, 1)} ms), ` +
    `${run.path.matched - run.path.fresh} on kept-alive ones (p50 ${fmt(run.path.ackP50Reused, 1)} / p99 ${fmt(run.path.ackP99Reused, 1)} ms); ` +
    `at the server: ${run.server.count} answered, p50 ${fmt(run.server.ackP50, 1)} ms, p99 ${fmt(run.server.ackP99, 1)} ms, max ${fmt(run.server.ackMax, 1)} ms` +
    `${run.server.slowest[0] ? ` (at +${fmt(run.server.slowest[0].offsetMs / 1000, 2)} s)` : ''}, loop delay p99 ${fmt(run.server.loopP99, 1)} ms, max ${fmt(run.server.loopMax, 1)} ms, ` +
    `${run.server.gcCount} GCs (${fmt(run.server.gcTotalMs)} ms, longest ${fmt(run.server.gcMaxMs, 1)} ms); ` +
    `slowest acks: ${run.slowest.slice(0, 3).map((s) => `${s.ackMs === null ? 'none' : `${fmt(s.ackMs)} ms`} (${s.text} at +${fmt(s.offsetMs / 1000, 2)} s)`).join(', ')}`,
  ];
}

interface Side {
  /** Where the reads go, with their headers. */
  readUrl: string;
  readHeaders: Record<string, string>;
  /** The app's origin for /slack/events. */
  slackUrl: string;
  /** The server's process (probed over IPC). */
  child: BenchChild;
  offsets: Offsets;
  phases: Phases;
}

/** A project of the owner with `count` tasks of S1's fixture, a few requests at a time; its id. */
async function seededProject(url: string, token: string, count: number): Promise<string> {
  const project = ok(await call<{ id: string }>('POST', `${url}/api/projects`, { token, body: { name: 'Slack bench project', description: 'The linked channel works here' } }), 201, 'create project');
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < count) ok(await call('POST', `${url}/api/projects/${project.id}/tasks`, { token, body: taskInput(next++) }), 201, 'create task');
    }),
  );
  return project.id;
}

const offsetOf = async (child: BenchChild): Promise<number> => (await clockOffset(() => child.request<number>('now'))).offsetMs;

export async function runS8(settings: Settings): Promise<S8Result> {
  const plan = settings.quick ? PLANS.quick : PLANS.full;
  const secret = randomBytes(16).toString('hex');
  const children: BenchChild[] = [];
  const profile = (name: string) => (settings.profile ? { profileName: `${name}-${Date.now()}` } : {});
  try {
    const driver = await startChild('slack-driver', 'slack-driver');
    children.push(driver.child);
    const slack = driver.info as unknown as DriverReady;

    const env = { SLACK_BOT_TOKEN: slack.botToken, SLACK_SIGNING_SECRET: secret, SLACK_API_URL: slack.apiUrl, REGISTRATION: 'open' };
    const tw = await startChild('taskwire-slack', 'taskwire-slack-server', [JSON.stringify(env)], profile('taskwire-slack'));
    children.push(tw.child);
    // startServer prints "localhost" only for a wildcard host; the bench binds 127.0.0.1.
    const url = tw.info.url!.replace('localhost', '127.0.0.1');
    const ws = await createWorkspace(url, 200);
    const command = async (text: string) => {
      const result = await driver.child.request<CommandResult>('command', { url, secret, text });
      if (result.status !== 200) throw new Error(`S8 /task ${text}: the ack was ${result.status} ${JSON.stringify(result.reply).slice(0, 300)}`);
      return result.reply as { response_type?: string; text?: string };
    };
    // The owner connects the Slack user as people do: /task connect, then the code while signed in.
    const connect = await command('connect');
    const code = /connect\?code=([\w-]+)/.exec(connect.text ?? '')?.[1];
    if (!code) throw new Error(`S8: /task connect did not answer with a code: ${JSON.stringify(connect).slice(0, 300)}`);
    ok(await call('POST', `${url}/api/me/identities`, { token: ws.token, body: { code } }), 201, 'connect the Slack user');
    // The channel is linked to a second project of the owner, seeded like the first: the `add`s land there, so the
    // read load's 200 tasks (and bytes, which the bare side serves as they were) stay the same all along.
    const slackProjectId = await seededProject(url, ws.token, 200);
    const linked = await command(`link ${slackProjectId}`);
    if (linked.response_type !== 'in_channel') throw new Error(`S8: /task link failed: ${JSON.stringify(linked).slice(0, 300)}`);
    const listed = await command('list');
    if (!listed.text?.includes('roadmap item')) throw new Error(`S8: /task list did not list the tasks: ${JSON.stringify(listed).slice(0, 300)}`);

    const path = `/api/projects/${ws.projectId}/tasks?limit=200`;
    const page = ok(await call<{ items: TaskJson[] }>('GET', `${url}${path}`, { token: ws.token }), 200, 'GET tasks');
    if (page.items.length !== 200) throw new Error(`S8: expected 200 tasks, got ${page.items.length}`);
    const payloadText = JSON.stringify(page);
    mkdirSync(CACHE_DIR, { recursive: true });
    const payloadFile = join(CACHE_DIR, 's8-payload.json');
    writeFileSync(payloadFile, payloadText);

    const bare = await startChild('bare-slack', 'bare-slack-server', [payloadFile, JSON.stringify({ signingSecret: secret, botToken: slack.botToken, slackApiUrl: slack.apiUrl })], profile('bare-slack'));
    children.push(bare.child);
    const sides: Record<Kind, Side> = {
      taskwire: { readUrl: `${url}${path}`, readHeaders: { Authorization: `Bearer ${ws.token}` }, slackUrl: url, child: tw.child, offsets: { driver: 0, server: 0 }, phases: new Phases(tw.child) },
      bare: { readUrl: `${bare.info.url}${path}`, readHeaders: {}, slackUrl: String(bare.info['slackUrl']), child: bare.child, offsets: { driver: 0, server: 0 }, phases: new Phases(bare.child) },
    };
    const driverOffset = await offsetOf(driver.child);
    sides.taskwire.offsets = { driver: driverOffset, server: await offsetOf(tw.child) };
    sides.bare.offsets = { driver: driverOffset, server: await offsetOf(bare.child) };
    progress(
      `S8: Taskwire at ${url} (Slack user connected, channel linked), bare Koa at ${bare.info.url} and bare Bolt at ${sides.bare.slackUrl}; ` +
        `payload ${fmt(payloadText.length)} bytes; /task at ${plan.perSecond}/s for ${plan.seconds} s under ${settings.connections} reading connections`,
    );

    /** One window: reads for lead + stream + lead, the commands in the middle. */
    const window = async (kind: Kind, count: number): Promise<{ stream: StreamResult; reads: LoadResult; probe: ProbeWindow }> => {
      const side = sides[kind];
      await side.child.request('probeStart');
      const streamMs = (count / plan.perSecond) * 1000;
      const seconds = Math.ceil((2 * plan.leadMs + streamMs) / 1000);
      const [reads, stream] = await Promise.all([
        cannon({ url: side.readUrl, headers: side.readHeaders, connections: settings.connections, duration: seconds }),
        driver.child.request<StreamResult>(
          'stream',
          { url: side.slackUrl, secret, texts: TEXTS, count, perSecond: plan.perSecond, delayMs: plan.leadMs, replyTimeoutMs: REPLY_TIMEOUT_MS },
          plan.leadMs + streamMs + REPLY_TIMEOUT_MS + 60_000,
        ),
      ]);
      return { stream, reads, probe: await side.child.request<ProbeWindow>('probeEnd') };
    };

    for (const kind of ['bare', 'taskwire'] as const) {
      const { stream, reads, probe } = await window(kind, plan.warmupCommands);
      const warm = figures(kind, -1, stream, reads, probe, sides[kind].offsets);
      const [line, where] = describe(warm);
      progress(`S8 warm-up ${kind.padEnd(8)} ${line}`);
      progress(`S8 warm-up ${kind.padEnd(8)} ${where}`);
    }

    const runs: SlackRun[] = [];
    const count = plan.perSecond * plan.seconds;
    for (let rep = 0; rep < settings.reps; rep++) {
      for (const kind of alternate<Kind>(rep, ['bare'], ['taskwire'])) {
        const { stream, reads, probe } = await sides[kind].phases.time(`S8 /task under reads (${kind})`, () => window(kind, count));
        const run = figures(kind, rep, stream, reads, probe, sides[kind].offsets);
        runs.push(run);
        const [line, where] = describe(run);
        progress(`S8 rep ${rep + 1}/${settings.reps} ${kind.padEnd(8)} ${line}`);
        progress(`S8 rep ${rep + 1}/${settings.reps} ${kind.padEnd(8)} ${where}`);
      }
    }

    const of = (kind: Kind) => runs.filter((r) => r.kind === kind);
    const pick = (kind: Kind, key: 'ackP50' | 'ackP99' | 'ackMax' | 'replyP50' | 'replyP99') => of(kind).map((r) => r[key]);
    const scenario = 'S8 Slack ack';
    const ackTarget: Target = { text: `≤ ${TARGET_ACK_P99_MS} ms`, kind: 'value-at-most', limit: TARGET_ACK_P99_MS };
    const rows: Row[] = [
      { scenario, figure: '/task ack p50 under reads', unit: 'ms', tw: pick('taskwire', 'ackP50'), bare: pick('bare', 'ackP50'), bareName: BARE_NAME, digits: 1 },
      { scenario, figure: '/task ack p99 under reads', unit: 'ms', tw: pick('taskwire', 'ackP99'), bare: pick('bare', 'ackP99'), bareName: BARE_NAME, target: ackTarget, digits: 1 },
      { scenario, figure: '/task ack max under reads', unit: 'ms', tw: pick('taskwire', 'ackMax'), bare: pick('bare', 'ackMax'), bareName: BARE_NAME, digits: 1 },
      {
        scenario,
        figure: '/task ack p99, kept-alive connections',
        unit: 'ms',
        tw: of('taskwire').map((r) => r.path.ackP99Reused),
        bare: of('bare').map((r) => r.path.ackP99Reused),
        bareName: BARE_NAME,
        digits: 1,
      },
      {
        scenario,
        figure: '/task ack p50, new connections',
        unit: 'ms',
        tw: of('taskwire').map((r) => r.path.ackP50Fresh),
        bare: of('bare').map((r) => r.path.ackP50Fresh),
        bareName: BARE_NAME,
        digits: 1,
      },
      {
        scenario,
        figure: '/task sent on new connections',
        unit: 'count',
        tw: of('taskwire').map((r) => r.path.fresh),
        bare: of('bare').map((r) => r.path.fresh),
        bareName: BARE_NAME,
        digits: 0,
      },
      { scenario, figure: '/task reply p99 (response_url)', unit: 'ms', tw: pick('taskwire', 'replyP99'), bare: pick('bare', 'replyP99'), bareName: BARE_NAME, digits: 0 },
      {
        scenario,
        figure: 'GET tasks ×200 during the commands',
        unit: 'req/s',
        tw: of('taskwire').map((r) => r.reads.rps),
        bare: of('bare').map((r) => r.reads.rps),
        bareName: BARE_NAME,
        digits: 0,
      },
      {
        scenario,
        figure: '/task not acked 200 or without reply',
        unit: 'count',
        tw: of('taskwire').map((r) => r.notAcked + r.noReply),
        bare: of('bare').map((r) => r.notAcked + r.noReply),
        bareName: BARE_NAME,
        target: { text: '= 0', kind: 'value-at-most', limit: 0 },
        digits: 0,
      },
    ];
    return { rows, details: { plan, payloadBytes: payloadText.length, runs } };
  } finally {
    await Promise.all(children.map((child) => child.stop()));
  }
}
