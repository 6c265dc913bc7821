// Slack's HTTP requests (Events API, slash commands, interactivity) at
// POST /slack/events on Taskwire's own port, handed to the Bolt App as
// `processEvent` calls, like Bolt's own receivers do. The signature and its
// time window are checked here, on the raw body, before anything else; the
// answer goes out as soon as the handler acks (Slack wants it within 3 s),
// and the work continues after it.

import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { Context, Middleware } from 'koa';
import type { Logger } from '../../core/logger.js';
import { verifySlackRequest } from './verify.js';

const MAX_BODY_BYTES = 1024 * 1024;
/** Past this the request is answered anyway: a handler that never acks must not make Slack retry. */
const ACK_TIMEOUT_MS = 2_800;

async function readRaw(ctx: Context): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(raw: string, contentType: string): Record<string, unknown> | null {
  try {
    if (contentType.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
    const form = Object.fromEntries(new URLSearchParams(raw));
    // Interactivity sends its JSON in a `payload` form field.
    if (typeof form.payload === 'string') return JSON.parse(form.payload) as Record<string, unknown>;
    return form;
  } catch {
    return null;
  }
}

export class KoaSlackReceiver implements Receiver {
  private app: App | null = null;

  constructor(
    private readonly signingSecret: string,
    private readonly logger: Pick<Logger, 'warn' | 'error'>,
    readonly path = '/slack/events',
  ) {}

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  middleware(): Middleware {
    return async (ctx, next) => {
      if (ctx.path !== this.path) return next();
      if (ctx.method !== 'POST') {
        ctx.status = 405;
        ctx.set('Allow', 'POST');
        return;
      }
      const refuse = (status: number, message: string) => {
        ctx.status = status;
        ctx.body = { error: { code: status === 401 ? 'unauthenticated' : status === 413 ? 'payload_too_large' : 'validation_failed', message, details: [] } };
      };
      const raw = await readRaw(ctx);
      if (raw === null) return refuse(413, 'The request body is too large.');
      const verdict = verifySlackRequest(this.signingSecret, { timestamp: ctx.get('X-Slack-Request-Timestamp') || undefined, signature: ctx.get('X-Slack-Signature') || undefined }, raw);
      if (!verdict.ok) {
        this.logger.warn({ reason: verdict.reason }, 'refused a Slack request');
        return refuse(401, 'The Slack signature is missing, wrong or too old.');
      }
      const body = parseBody(raw, ctx.get('Content-Type'));
      if (!body) return refuse(400, 'The request body is not valid JSON or form data.');
      if (body.type === 'url_verification' && typeof body.challenge === 'string') {
        ctx.body = { challenge: body.challenge };
        return;
      }
      if (!this.app) return refuse(503, 'Slack is starting; try again.');
      ctx.body = await this.dispatch(body, ctx.get('X-Slack-Retry-Num'), ctx.get('X-Slack-Retry-Reason'));
      if (ctx.body === '') ctx.status = 200;
    };
  }

  /** Runs the event through the App and resolves with what the handler acked, or '' if it did not ack in time. */
  private dispatch(body: Record<string, unknown>, retryNum: string, retryReason: string): Promise<unknown> {
    return new Promise((resolve) => {
      let answered = false;
      const answer = (value: unknown) => {
        if (answered) return;
        answered = true;
        clearTimeout(timer);
        resolve(value === undefined || value === null ? '' : value);
      };
      const timer = setTimeout(() => answer(''), ACK_TIMEOUT_MS);
      const event: ReceiverEvent = {
        body,
        ack: async (response?: unknown) => answer(response),
        ...(retryNum ? { retryNum: Number(retryNum) } : {}),
        ...(retryReason ? { retryReason } : {}),
      };
      this.app!.processEvent(event).catch((error: unknown) => {
        this.logger.error({ err: error }, 'a Slack handler failed');
        answer('');
      });
    });
  }
}
