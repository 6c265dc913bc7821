// A real SMTP server for tests (smtp-server) on a free loopback port, keeping
// every message it accepts, parsed with mailparser. Tests take it down so that
// connections are refused, as from a crashed server, and bring it back on the
// same port, so a mailer holding `url` meets the new listener as it would in
// production.

import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer, type SMTPServerError, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { freePort } from './redis.js';

export interface SmtpAddress {
  name: string;
  address: string;
}

export interface ParsedMail {
  from: SmtpAddress | null;
  to: SmtpAddress[];
  subject: string;
  text: string;
  /** '' for a message without an HTML part. */
  html: string;
  /** Without the angle brackets, as MailMessage.messageId. */
  messageId: string;
  /** By lower-cased name; a header written twice keeps both values, joined by '\n'. */
  headers: Record<string, string>;
  /** MAIL FROM and RCPT TO, which may differ from the headers. */
  envelope: { from: string; to: string[] };
  /** The user the session logged in as, or null. */
  user: string | null;
  /** Whether the session was upgraded with STARTTLS. */
  secure: boolean;
}

export interface SmtpReply {
  code: number;
  message: string;
}

export interface SmtpServerOptions {
  /** Require AUTH (PLAIN or LOGIN, allowed without TLS) and refuse other credentials with 535. */
  auth?: { user: string; pass: string };
  /** The 535 answer quotes the password tried, as a careless server might: for tests that it reaches no message or log. */
  quoteRefusedPassword?: boolean;
  /** Offer STARTTLS with smtp-server's built-in certificate, which no client verifies (self-signed for localhost, and expired). */
  starttls?: boolean;
  /** The reply to RCPT TO for `address`; undefined accepts it. */
  rejectRecipient?: (address: string) => SmtpReply | undefined;
}

export interface SmtpServer {
  /** smtp://user:pass@127.0.0.1:port with `auth`, smtp://127.0.0.1:port without. */
  readonly url: string;
  readonly port: number;
  /** Every message accepted, in order. */
  readonly mails: ParsedMail[];
  /** The first mail, already here or still to come, that matches; rejects after timeoutMs. */
  waitForMail(predicate: (mail: ParsedMail) => boolean, timeoutMs: number): Promise<ParsedMail>;
  /** Stops listening and drops every connection; idempotent. */
  stop(): Promise<void>;
  /** stops listening so connections are refused (as a down server); open sessions are cut without a goodbye */
  down(): Promise<void>;
  /** listens again on the same port */
  up(): Promise<void>;
}

export async function startSmtp(options: SmtpServerOptions = {}): Promise<SmtpServer> {
  const mails: ParsedMail[] = [];
  const arrived = new Set<() => void>();
  const serverOptions = buildOptions(options, (mail) => {
    mails.push(mail);
    for (const wake of arrived) wake();
  });
  const credentials = options.auth ? `${encodeURIComponent(options.auth.user)}:${encodeURIComponent(options.auth.pass)}@` : '';

  // Another process may take the port between freePort() and the listen.
  let port = 0;
  let listener: Listener | null = null;
  for (let attempt = 1; !listener; attempt++) {
    port = await freePort();
    try {
      listener = await listen(serverOptions, port);
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
  let current: Listener | null = listener;
  let stopped = false;

  return {
    url: `smtp://${credentials}127.0.0.1:${port}`,
    port,
    mails,
    waitForMail(predicate, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const mail = mails.find(predicate);
          if (!mail) return false;
          clearTimeout(timer);
          arrived.delete(wake);
          resolve(mail);
          return true;
        };
        const wake = (): void => void check();
        const timer = setTimeout(() => {
          arrived.delete(wake);
          const seen = mails.map((m) => `${m.envelope.to.join(',')}: ${m.subject}`).join('; ') || 'none';
          reject(new Error(`no matching mail within ${timeoutMs} ms (arrived: ${seen})`));
        }, timeoutMs);
        if (!check()) arrived.add(wake);
      });
    },
    async stop() {
      stopped = true;
      await current?.close();
      current = null;
    },
    async down() {
      await current?.close();
      current = null;
    },
    async up() {
      if (stopped) throw new Error('the SMTP server was stopped; start another');
      if (current) return;
      current = await listen(serverOptions, port);
    },
  };
}

interface Listener {
  close(): Promise<void>;
}

/** One SMTPServer on `port`; a fresh one per up(), so nothing of the last session survives. */
async function listen(options: SMTPServerOptions, port: number): Promise<Listener> {
  const server = new SMTPServer(options);
  const sockets = new Set<Socket>();
  server.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // A client cut off by close() makes the session emit errors; they are the point, not a failure.
  server.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        // net.Server#close waits for open sockets; destroying them is the crash a test wants.
        server.server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function buildOptions(options: SmtpServerOptions, keep: (mail: ParsedMail) => void): SMTPServerOptions {
  const { auth, starttls = false, rejectRecipient, quoteRefusedPassword = false } = options;
  const disabledCommands = [...(starttls ? [] : ['STARTTLS']), ...(auth ? [] : ['AUTH'])];
  return {
    logger: false,
    disableReverseLookup: true,
    disabledCommands,
    authOptional: !auth,
    allowInsecureAuth: true,
    onAuth(login, _session, callback) {
      if (auth && login.username === auth.user && login.password === auth.pass) return callback(null, { user: login.username });
      // smtp-server answers a refused login with 535 and this text.
      const quoted = quoteRefusedPassword ? ` (password tried: ${login.password ?? ''})` : '';
      return callback(new Error(`Authentication credentials invalid${quoted}`));
    },
    onRcptTo(address, _session, callback) {
      const reply = rejectRecipient?.(address.address);
      if (!reply) return callback();
      const err: SMTPServerError = new Error(reply.message);
      err.responseCode = reply.code;
      return callback(err);
    },
    onData(stream, session, callback) {
      void (async () => {
        let failed: Error | null = null;
        try {
          keep(await parse(stream, session));
        } catch (err) {
          failed = err instanceof Error ? err : new Error(String(err));
        }
        // Answered after `keep`, so the client's send resolves only once the mail is in `mails`.
        callback(failed);
      })();
    },
  };
}

async function parse(stream: Readable, session: SMTPServerSession): Promise<ParsedMail> {
  const parsed = await simpleParser(stream);
  return {
    from: parsed.from?.value[0] ? toAddress(parsed.from.value[0]) : null,
    to: toAddresses(parsed.to),
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: parsed.html || '',
    messageId: (parsed.messageId ?? '').replace(/^<|>$/g, ''),
    headers: headersOf(parsed.headerLines),
    envelope: {
      from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
      to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
    },
    user: typeof session.user === 'string' ? session.user : null,
    secure: session.secure,
  };
}

function toAddress(entry: { name: string; address?: string | undefined }): SmtpAddress {
  return { name: entry.name, address: entry.address ?? '' };
}

function toAddresses(header: AddressObject | AddressObject[] | undefined): SmtpAddress[] {
  if (!header) return [];
  return (Array.isArray(header) ? header : [header]).flatMap((group) => group.value.map(toAddress));
}

function headersOf(lines: ReadonlyArray<{ key: string; line: string }>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { key, line } of lines) {
    // `line` is the raw header, folded; the value starts after the first colon.
    const value = line
      .slice(line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
    headers[key] = key in headers ? `${headers[key]}\n${value}` : value;
  }
  return headers;
}
