// Mail that services send about accounts (invite links, password resets,
// address checks). Services say what the mail is; the jobs layer renders it
// and sends it through the queue (jobs/mail/postman.ts), so a mail server that
// is down delays it instead of failing the request.

export interface AccountMail {
  /** Unique per mail: a resend of the same link under the same key is sent once. */
  key: string;
  to: string;
  subject: string;
  /** The person's name, for the greeting. */
  name: string;
  lines: string[];
  action: { label: string; url: string };
}

export interface Postman {
  /** Whether mail reaches people (SMTP_URL is set) rather than the admin outbox: only then are addresses verified by mail. */
  readonly delivers: boolean;
  send(mail: AccountMail): Promise<void>;
}

/** What account services need to build links: the URL people reach this server at. */
export interface AccountLinks {
  publicUrl(): string;
}
