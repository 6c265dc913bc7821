// What the S8 Slack driver child (children/slack-driver.ts) is asked and answers over IPC.

/** The Slack user and channel the driver's double knows; the commands come from them. */
export const DRIVER_USER = 'U0BENCH001';
export const DRIVER_CHANNEL = 'C0BENCH001';

export interface DriverReady {
  /** The double's Web API base (SLACK_API_URL), with the trailing slash. */
  apiUrl: string;
  botToken: string;
  teamId: string;
}

export interface CommandArgs {
  /** The app's origin; the command goes to <url>/slack/events. */
  url: string;
  secret: string;
  text: string;
  timeoutMs?: number;
}

export interface CommandResult {
  status: number;
  ackMs: number;
  /** The response_url reply (or the answer's body when the status was not 200). */
  reply: unknown;
}

export interface StreamArgs {
  url: string;
  secret: string;
  /** Sent in turn, over and over. */
  texts: string[];
  count: number;
  perSecond: number;
  /** Wait this long after the request before the first command (the read load settles meanwhile). */
  delayMs: number;
  /** How long to wait for the last response_url replies once every command was answered. */
  replyTimeoutMs: number;
}

export interface StreamSample {
  text: string;
  /** Scheduled start, ms after the first command's. */
  offsetMs: number;
  /** HTTP status of the ack; 0 when the request failed. */
  status: number;
  /** Request start → the HTTP 200 answer read, ms; null when not a 200. */
  ackMs: number | null;
  /** Request start → the response_url POST received by the double, ms; null when none came. */
  replyMs: number | null;
  /** How late the request started after its scheduled time, ms (the sender's own lag). */
  lagMs: number;
  error?: string;
}

/** One command as fetch saw it (undici's diagnostics channels); epoch ms (clock.ts). */
export interface FetchTrace {
  /** The connection's local port: the server sees it as the remote port. */
  port: number;
  createdAt: number;
  /** Headers written to the socket; null if never. */
  sentAt: number | null;
  /** The answer's headers read; null if never. */
  headersAt: number | null;
}

export interface StreamResult {
  samples: StreamSample[];
  /** fetch's phases of every command, in no particular order. */
  trace: FetchTrace[];
  /** Epoch ms (clock.ts) of the first and the last scheduled start. */
  firstAt: number;
  lastAt: number;
}
