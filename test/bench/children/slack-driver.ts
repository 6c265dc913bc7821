// Child entry: Slack's side for S8. A Slack double (test/support/slack.ts: the
// Web API, response_urls) with one user and one channel, and the sender of
// signed slash commands built and delivered exactly as Slack sends them
// (`slashCommand` + `deliver`). Its own process, so the command timings share an
// event loop with neither the read load (autocannon, in the bench process) nor
// the server under test.
//
// IPC: `command` sends one command and waits for its response_url reply (setup);
// `stream` sends `count` commands at a steady rate, open loop (each at its
// scheduled time, whether or not earlier ones were answered), and returns the
// ack time of each (request start → HTTP answer read), when its response_url
// reply arrived, and fetch's phases of each request with its connection's port.

import { subscribe } from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { startSlackDouble } from '../../support/slack.js';
import { now } from '../lib/clock.js';
import { announceReady, serveIpc } from '../lib/ipc-child.js';
import { DRIVER_CHANNEL, DRIVER_USER, type CommandArgs, type CommandResult, type DriverReady, type FetchTrace, type StreamArgs, type StreamResult, type StreamSample } from '../lib/slack-driver.js';

const slack = await startSlackDouble({ serverPingIntervalMs: 0 });
slack.addUser({ id: DRIVER_USER, name: 'bench', realName: 'Bench Slack User' });
slack.addChannel({ id: DRIVER_CHANNEL, name: 'bench' });

const commandUrl = '/slack/events';

// fetch's own phases (undici's diagnostics channels), to tell where an ack's time went: waiting for a
// socket (or a connection), or between the request written and the answer's headers read. The local
// port names the connection, so the server's view of the same request can be matched (server-probe.ts).
const traced = new Map<object, FetchTrace>();
let tracing = false;
subscribe('undici:request:create', (message) => {
  const { request } = message as { request: { path?: string } };
  if (tracing && request.path?.startsWith(commandUrl)) traced.set(request, { port: 0, createdAt: now(), sentAt: null, headersAt: null });
});
subscribe('undici:client:sendHeaders', (message) => {
  const { request, socket } = message as { request: object; socket: { localPort?: number } };
  const trace = traced.get(request);
  if (!trace) return;
  trace.sentAt = now();
  trace.port = socket.localPort ?? 0;
});
subscribe('undici:request:headers', (message) => {
  const trace = traced.get((message as { request: object }).request);
  if (trace) trace.headersAt = now();
});

function target(url: string): string {
  const parsed = new URL(url);
  if (parsed.hostname !== '127.0.0.1') throw new Error(`the Slack driver only targets 127.0.0.1, not ${parsed.hostname}`);
  return `${url.replace(/\/+$/, '')}${commandUrl}`;
}

/** response_url → epoch ms the reply arrived, for the replies recorded from index `from` on. */
function replyTimes(from: number): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = from; i < slack.responses.length; i++) {
    const r = slack.responses[i]!;
    if (!out.has(r.url)) out.set(r.url, r.at);
  }
  return out;
}

async function command(args: CommandArgs): Promise<CommandResult> {
  const payload = slack.slashCommand({ userId: DRIVER_USER, channelId: DRIVER_CHANNEL, text: args.text, command: '/task' });
  const responseUrl = payload.response_url!;
  const delivered = await slack.deliver(target(args.url), args.secret, payload, { kind: 'command' });
  if (delivered.status !== 200) return { status: delivered.status, ackMs: delivered.ms, reply: delivered.body };
  const reply = await slack.waitForResponse((r) => r.url === responseUrl, args.timeoutMs ?? 10_000);
  return { status: delivered.status, ackMs: delivered.ms, reply: reply.body };
}

async function stream(args: StreamArgs): Promise<StreamResult> {
  const url = target(args.url);
  traced.clear();
  tracing = true;
  // The double keeps every reply it got; this run's come after these.
  const seenBefore = slack.responses.length;
  const intervalMs = 1000 / args.perSecond;
  const firstAt = now() + args.delayMs;
  const t0 = performance.now() + args.delayMs;
  const sent: { responseUrl: string; startedAt: number; done: Promise<StreamSample> }[] = [];
  for (let i = 0; i < args.count; i++) {
    const wait = t0 + i * intervalMs - performance.now();
    if (wait > 0) await sleep(wait);
    const text = args.texts[i % args.texts.length]!;
    const payload = slack.slashCommand({ userId: DRIVER_USER, channelId: DRIVER_CHANNEL, text, command: '/task' });
    const lagMs = performance.now() - (t0 + i * intervalMs);
    const startedAt = Date.now();
    const done = slack.deliver(url, args.secret, payload, { kind: 'command' }).then(
      (d): StreamSample => ({ text, offsetMs: i * intervalMs, status: d.status, ackMs: d.status === 200 ? d.ms : null, replyMs: null, lagMs }),
      (error: unknown): StreamSample => ({ text, offsetMs: i * intervalMs, status: 0, ackMs: null, replyMs: null, lagMs, error: error instanceof Error ? error.message : String(error) }),
    );
    sent.push({ responseUrl: payload.response_url!, startedAt, done });
  }
  const samples = await Promise.all(sent.map((s) => s.done));
  tracing = false;
  const trace = [...traced.values()];
  traced.clear();
  // The replies go out after the acks; wait for those still missing (bounded).
  const expected = sent.filter((_, i) => samples[i]!.status === 200);
  const deadline = Date.now() + args.replyTimeoutMs;
  let times = replyTimes(seenBefore);
  while (expected.some((s) => !times.has(s.responseUrl)) && Date.now() < deadline) {
    await sleep(50);
    times = replyTimes(seenBefore);
  }
  sent.forEach((s, i) => {
    const at = times.get(s.responseUrl);
    if (at !== undefined) samples[i]!.replyMs = at - s.startedAt;
  });
  return { samples, firstAt, lastAt: firstAt + (args.count - 1) * intervalMs, trace };
}

serveIpc({
  command: (args) => command(args as CommandArgs),
  stream: (args) => stream(args as StreamArgs),
  stop: async () => {
    await slack.stop();
    setTimeout(() => process.exit(0), 20);
    return true;
  },
});
const ready: DriverReady = { apiUrl: slack.apiUrl, botToken: slack.botToken, teamId: slack.teamId };
announceReady({ ...ready });
