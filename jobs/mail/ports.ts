// The Mailer port: what jobs may ask of outgoing mail. Two homes: SMTP through
// nodemailer (jobs/mail/smtp.ts) when SMTP_URL is set, and an outbox in the
// store otherwise. No driver type crosses this file, so a job handler decides
// retry or give up from MailSendError alone.

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** RFC 5322 Message-ID without <>; stable per delivery so a resend is recognisable */
  messageId: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  readonly kind: 'smtp' | 'outbox';
  /** Resolves once the server accepted the message; rejects with MailSendError, never hangs. */
  send(message: MailMessage): Promise<void>;
  /** Connects (and logs in) without sending, for /health and a check at boot; rejects with MailSendError. */
  verify(): Promise<void>;
  /** Lets sends in flight finish, then releases connections; later sends reject. */
  close(): Promise<void>;
}

export class MailSendError extends Error {
  /** true when retrying may help (connection refused, timeout, 4xx); false for 5xx like bad credentials or a refused recipient */
  readonly transient: boolean;
  /** The SMTP reply code that refused the message, or null when no server answered. */
  readonly responseCode: number | null;

  constructor(message: string, options: { transient: boolean; responseCode?: number | null; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MailSendError';
    this.transient = options.transient;
    this.responseCode = options.responseCode ?? null;
  }
}
