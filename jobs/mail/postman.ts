// Account mail (invite links, resets, address checks) through the queue: a
// request only queues the mail, a job renders and sends it with retries, so an
// SMTP outage delays the mail instead of failing the request. When the queue
// itself cannot take it, the mail is sent directly, and only if that fails too
// does the request fail (503): a link is never silently dropped.

import { createHash } from 'node:crypto';
import type { Logger } from '../../core/logger.js';
import type { AccountMail, Postman } from '../../core/services/mail.js';
import type { JobHandler, Queue } from '../queue.js';
import { UnavailableError } from '../../core/errors.js';
import type { Backoff } from '../queue.js';
import { renderMail } from './layout.js';
import { MailSendError, type Mailer } from './ports.js';
import { isLastAttempt, PermanentJobError } from '../queue.js';

export const MAIL_JOB = 'mail.send';

const digest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 32);

function toMessage(mail: AccountMail, host: string) {
  const body = renderMail({
    greeting: `Hello ${mail.name},`,
    lines: mail.lines,
    action: mail.action,
    footer: 'You get this mail because of an action on your Taskwire account.',
  });
  return { to: mail.to, subject: mail.subject, ...body, messageId: `${digest(mail.key)}@${host}` };
}

export interface PostmanParts {
  postman: Postman;
  handlers: Record<string, JobHandler>;
}

export function createPostman(options: { queue: Queue; mailer: Mailer; publicUrl: string; logger: Pick<Logger, 'warn' | 'error'>; retry: { attempts: number; backoff: Backoff } }): PostmanParts {
  const { queue, mailer, logger } = options;
  const host = new URL(options.publicUrl).hostname || 'taskwire.local';
  return {
    postman: {
      delivers: mailer.kind === 'smtp',
      async send(mail) {
        try {
          await queue.add(MAIL_JOB, { ...mail }, { id: `mail.${digest(mail.key)}`, ...options.retry });
          return;
        } catch (error) {
          logger.warn({ err: error }, 'queueing a mail failed; sending it directly');
        }
        try {
          await mailer.send(toMessage(mail, host));
        } catch (error) {
          logger.error({ err: error }, 'sending a mail directly failed');
          throw new UnavailableError('The mail could not be sent now; try again in a moment.');
        }
      },
    },
    handlers: {
      [MAIL_JOB]: async (job) => {
        try {
          await mailer.send(toMessage(job.data as unknown as AccountMail, host));
        } catch (error) {
          if (error instanceof MailSendError && !error.transient) throw new PermanentJobError(error.message);
          if (isLastAttempt(job)) logger.error({ err: error, to: (job.data as { to?: string }).to }, 'an account mail could not be sent');
          throw error;
        }
      },
    },
  };
}
