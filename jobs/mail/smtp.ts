// The SMTP home of the Mailer port: a nodemailer connection pool built from
// SMTP_URL. Every failure leaves as a MailSendError saying whether a retry can
// help, so the job that sends decides without knowing nodemailer.
//
// nodemailer reads the URL itself: smtp:// upgrades with STARTTLS when the
// server offers it (add ?requireTLS=true to refuse a server that does not),
// smtps:// is TLS from the first byte, and query parameters become transport
// options (?tls.rejectUnauthorized=false, ?greetingTimeout=20000), taking
// precedence over the defaults below.

import { createTransport, type NodemailerError } from 'nodemailer';
import type { Logger } from '../../core/logger.js';
import { MailSendError, type MailMessage, type Mailer } from './ports.js';

/**
 * nodemailer waits up to 2 minutes to connect and 10 to hear from a silent
 * socket; a send to a server that is down or stalls must fail in seconds so the
 * job retries later instead of holding a worker.
 */
export const SMTP_TIMEOUTS = {
  /** Connecting, the greeting and the STARTTLS upgrade together. */
  connectionTimeout: 10_000,
  greetingTimeout: 10_000,
  /**
   * Silence in the middle of a session. RFC 5321 lets a server think for 10
   * minutes after the message's final dot; content filters answer within
   * seconds, and a send timed out after the server took it is a duplicate that
   * the stable Message-ID lets a reader recognise.
   */
  socketTimeout: 60_000,
  dnsTimeout: 5_000,
} as const;

export interface SmtpMailerOptions {
  /** smtp:// or smtps:// URL, credentials included. */
  url: string;
  /** The From of every message: `Name <a@b.c>` or `a@b.c`. */
  from: string;
  logger: Logger;
}

// RFC 5322 msg-id, written here without its angle brackets.
const MESSAGE_ID = /^[^<>\s@]+@[^<>\s@]+$/;

// Without a reply code, these say the connection failed rather than the message.
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'EDNS', 'EPROXY', 'EMAXLIMIT']);

// nodemailer reports a certificate the client refuses, or TLS spoken to a plain
// port, as ESOCKET like a dropped connection; Node's own code (kept as
// originalCode) tells them apart. Like bad credentials, they need an operator.
const TLS_SETUP_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED|SELF_SIGNED_CERT|ERR_TLS_CERT_|HOSTNAME_MISMATCH|ERR_SSL_)/;

export function createSmtpMailer(options: SmtpMailerOptions): Mailer {
  const redact = redactor(options.url);
  checkUrl(options.url);
  let transport: ReturnType<typeof createPool>;
  try {
    transport = createPool(options.url, options.from, nodemailerLogger(options.logger, redact));
  } catch (err) {
    throw unusableUrl(err, redact);
  }
  const inFlight = new Set<Promise<void>>();
  let closed = false;

  return {
    kind: 'smtp',

    send(message) {
      if (closed) return Promise.reject(new MailSendError('the mailer is closed', { transient: true }));
      if (!MESSAGE_ID.test(message.messageId)) {
        return Promise.reject(new MailSendError(`invalid messageId ${JSON.stringify(message.messageId)}: expected left@right without <>`, { transient: false }));
      }
      const sending = transport.sendMail(toNodemailer(message)).then(
        () => undefined,
        (err: unknown) => {
          throw translate(err, `sending <${message.messageId}>`, redact);
        },
      );
      inFlight.add(sending);
      const forget = (): void => void inFlight.delete(sending);
      sending.then(forget, forget);
      return sending;
    },

    async verify() {
      if (closed) throw new MailSendError('the mailer is closed', { transient: true });
      try {
        await transport.verify();
      } catch (err) {
        throw translate(err, 'verifying the SMTP server', redact);
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      // Closing the pool fails messages still queued in it; the timeouts bound this wait.
      await Promise.allSettled(inFlight);
      transport.close();
    },
  };
}

function createPool(url: string, from: string, logger: ReturnType<typeof nodemailerLogger>) {
  return createTransport(
    {
      url,
      pool: true,
      ...SMTP_TIMEOUTS,
      // Messages carry their content inline: nothing in one may read a file or fetch a URL.
      disableFileAccess: true,
      disableUrlAccess: true,
      logger,
    },
    { from },
  );
}

function toNodemailer(message: MailMessage) {
  return {
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    messageId: `<${message.messageId}>`,
    // nodemailer sets From, To, Subject and Message-ID after these, so a header here cannot replace them.
    headers: message.headers ?? {},
  };
}

/**
 * 4xx replies and a connection that failed or went silent may pass on a retry;
 * 5xx replies (bad credentials, a refused recipient) will be refused again, and
 * an error with neither that is not the network's (a certificate that fails
 * verification, missing credentials) needs an operator, not a retry.
 */
function translate(err: unknown, action: string, redact: (text: string) => string): MailSendError {
  const e = (err ?? {}) as NodemailerError;
  const responseCode = typeof e.responseCode === 'number' && e.responseCode >= 400 && e.responseCode < 600 ? e.responseCode : null;
  const transient = responseCode === null ? TRANSIENT_CODES.has(e.code ?? '') && !TLS_SETUP_CODES.test(e.originalCode ?? '') : responseCode < 500;
  const facts = [e.code, e.originalCode, e.command && `during ${e.command}`].filter(Boolean).join(', ');
  const message = `${action} failed: ${errorMessage(err)}${facts ? ` (${facts})` : ''}`;
  // No `cause`: the nodemailer error holds the server's answer unredacted, and the message already has it.
  return new MailSendError(redact(message), { transient, responseCode });
}

/**
 * nodemailer falls back to Node's legacy url.parse() for a URL the WHATWG
 * parser refuses, and Node then prints a deprecation warning quoting the whole
 * URL, password included, to stderr. Refusing such a URL here keeps it from
 * getting that far.
 */
function checkUrl(url: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new Error('SMTP_URL is not usable: not a valid URL');
  }
  if (protocol !== 'smtp:' && protocol !== 'smtps:') throw new Error(`SMTP_URL is not usable: ${protocol} is neither smtp: nor smtps:`);
}

/** Without `cause`: the URL parser's error carries the whole URL, password included, as `input`. */
function unusableUrl(err: unknown, redact: (text: string) => string): Error {
  return new Error(`SMTP_URL is not usable: ${redact(errorMessage(err))}`);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Removes the URL's password from text. nodemailer never writes it into an
 * error, but a server may quote what it was sent, and the message is logged.
 * A password of under 4 characters is left alone: replacing every "ab" would
 * garble the message and say which letters the password has.
 */
function redactor(url: string): (text: string) => string {
  let secrets: string[] = [];
  try {
    const raw = new URL(url).password;
    secrets = [raw, safeDecode(raw)].filter((secret) => secret.length >= 4);
  } catch {
    // An unparsable URL is reported by nodemailer; there is no password to find.
  }
  return (text) => secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * nodemailer logs each connection and message at info; here that is debug, so
 * a normal day's log holds no recipients. Its errors are warnings: the caller
 * gets the MailSendError and decides how bad a failure is. Every string and
 * error goes through `redact` first, since an error carries the server's answer.
 */
function nodemailerLogger(log: Logger, redact: (text: string) => string) {
  const clean = (value: unknown): unknown => {
    if (typeof value === 'string') return redact(value);
    if (!(value instanceof Error)) return value;
    const e = value as NodemailerError;
    // Not the stack: it repeats the message and names only nodemailer's insides.
    return { type: e.name, message: redact(e.message), code: e.code, originalCode: e.originalCode, responseCode: e.responseCode, command: e.command };
  };
  const at =
    (level: 'trace' | 'debug' | 'warn') =>
    (entry: Record<string, unknown>, message: string, ...args: unknown[]): void => {
      const fields = Object.fromEntries(Object.entries(entry ?? {}).map(([key, value]) => [key, clean(value)]));
      log[level](fields, redact(message), ...args.map(clean));
    };
  return { trace: at('trace'), debug: at('trace'), info: at('debug'), warn: at('warn'), error: at('warn'), fatal: at('warn') };
}
