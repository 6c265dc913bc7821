// Jobs for one process, web node or worker: the queue of this mode (embedded
// in the store, or BullMQ with REDIS_URL), the mailer (SMTP, or the outbox),
// the notifier, and workers running them all. Closed in that order's reverse.

import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import type { ServiceDeps } from '../core/services/deps.js';
import { createBullmqQueue } from './bullmq.js';
import { createEmbeddedQueue } from './embedded.js';
import { createOutboxMailer } from './mail/outbox.js';
import type { Mailer } from './mail/ports.js';
import { createSmtpMailer } from './mail/smtp.js';
import type { Channel } from './notifications/channels.js';
import { DEFAULT_NOTIFY_TIMINGS, type NotifyTimings } from './notifications/context.js';
import { createPostman } from './mail/postman.js';
import type { Postman } from '../core/services/mail.js';
import { emailChannel } from './notifications/email.js';
import { createNotifier, type Notifier } from './notifications/notifier.js';
import { countOutcomes } from './outcomes.js';
import type { JobHandler, Queue } from './queue.js';
import type { SenderTuning } from './nudge.js';
import { createWebhookJobs, type WebhookJobs } from './webhooks/jobs.js';
import { createPurgeJobs, type PurgeJobs, type PurgeTuning } from './purge/jobs.js';
import { createSealer, type Sealer } from '../core/services/sealing.js';
import { resolveInstanceKey } from '../core/instance-key.js';

const sealerOf = (config: Config): Sealer => createSealer(resolveInstanceKey(config));

export interface JobsTuning {
  /** Embedded queue: lease and poll interval. BullMQ: lock and stalled-check interval. */
  leaseMs?: number;
  pollMs?: number;
  concurrency?: number;
  notify?: Partial<NotifyTimings>;
  /** Channels besides email (Slack and Discord DMs register here). */
  channels?: Channel[];
  /** The sealer of stored secrets (webhook secrets); from SECRET_KEY or the instance key file when absent. */
  sealer?: Sealer;
  /** Webhook senders' retries, the POST timeout and reconciliation period (tests shorten them). */
  webhooks?: SenderTuning & { timeoutMs?: number };
  /** The chat bridge's sender retries and reconciliation period (tests shorten them). */
  bridge?: SenderTuning;
  /** Plugin hooks' retries and reconciliation period (tests shorten them). */
  plugins?: SenderTuning;
  /** When a deleted project's or room's records are purged, and in what batches (tests shorten the delay). */
  purge?: PurgeTuning;
}

/** More work for the same queue (the chat bridge): job handlers, notification channels, and its own start and stop. */
export interface JobsExtension {
  handlers: Readonly<Record<string, JobHandler>>;
  channels?: readonly Channel[];
  start?(): Promise<void>;
  stop?(): void;
}

export interface JobsRuntime {
  queue: Queue;
  mailer: Mailer;
  notifier: Notifier;
  /** Account mail (invites, resets, address checks) through the queue. */
  postman: Postman;
  /** Outgoing webhooks: wake a webhook's sender, retry one delivery. */
  webhooks: Pick<WebhookJobs, 'kick' | 'retryOne' | 'sendTest'>;
  /** Purges of what deleted projects and rooms leave behind; `later` for an import's staged records. */
  purge: Pick<PurgeJobs, 'later'>;
  /** Stops queueing, lets running jobs finish (up to drainMs), releases connections. */
  close(drainMs?: number): Promise<void>;
}

const DEFAULT_CONCURRENCY = 8;

export async function startJobs(
  config: Config,
  deps: ServiceDeps,
  logger: Logger,
  publicUrl: string,
  tuning: JobsTuning = {},
  extend: readonly ((queue: Queue) => JobsExtension)[] = [],
): Promise<JobsRuntime> {
  const queue: Queue = config.redisUrl
    ? await createBullmqQueue({
        url: config.redisUrl,
        logger,
        ...(tuning.leaseMs ? { lockMs: tuning.leaseMs, stalledIntervalMs: tuning.leaseMs } : {}),
      })
    : createEmbeddedQueue({ jobs: deps.store.jobs, logger, ...(tuning.leaseMs ? { leaseMs: tuning.leaseMs } : {}), ...(tuning.pollMs ? { pollMs: tuning.pollMs } : {}) });
  const mailer: Mailer = config.smtpUrl ? createSmtpMailer({ url: config.smtpUrl, from: config.mailFrom, logger }) : createOutboxMailer(deps, logger);
  const purge = createPurgeJobs({ deps, queue, ...tuning.purge });
  const extensions: JobsExtension[] = [purge, ...extend.map((make) => make(queue))];
  let notifierRef: Notifier | null = null;
  const webhooks = createWebhookJobs({
    deps,
    sealer: tuning.sealer ?? sealerOf(config),
    allowPrivate: config.webhookAllowPrivate,
    queue,
    notifications: () => notifierRef?.context ?? null,
    ...tuning.webhooks,
  });
  const notifier = createNotifier({
    deps,
    queue,
    channels: [emailChannel(mailer, publicUrl), ...(tuning.channels ?? []), ...extensions.flatMap((e) => e.channels ?? [])],
    publicUrl,
    ...(tuning.notify ? { timings: tuning.notify } : {}),
  });
  notifierRef = notifier;
  const timings = { ...DEFAULT_NOTIFY_TIMINGS, ...tuning.notify };
  const mail = createPostman({ queue, mailer, publicUrl, logger, retry: timings.deliveryRetry });
  const handlers = Object.assign({}, notifier.handlers, mail.handlers, webhooks.handlers, ...extensions.map((e) => e.handlers));
  queue.work(countOutcomes(handlers, deps.metrics), { concurrency: tuning.concurrency ?? DEFAULT_CONCURRENCY });
  await notifier.start();
  await webhooks.start();
  for (const extension of extensions) await extension.start?.();
  if (mailer.kind === 'smtp') {
    // A wrong SMTP_URL is worth a line at boot; deliveries wait and retry either way.
    mailer.verify().catch((error: unknown) => logger.warn({ err: error }, 'the SMTP server did not accept a test connection; mail waits and retries'));
  }
  return {
    queue,
    mailer,
    notifier,
    postman: mail.postman,
    webhooks,
    purge,
    async close(drainMs = 10_000) {
      for (const extension of extensions) extension.stop?.();
      webhooks.stop();
      notifier.stop();
      await queue.close(drainMs);
      await mailer.close();
    },
  };
}
