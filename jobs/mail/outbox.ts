// The Mailer without SMTP_URL: mail is kept in the store's outbox, where
// instance admins read it (GET /api/admin/outbox), and logged. Keyed by the
// Message-ID, so a retried delivery keeps one copy.

import { createHash } from 'node:crypto';
import type { Logger } from '../../core/logger.js';
import type { ServiceDeps } from '../../core/services/deps.js';
import { commit } from '../../core/services/deps.js';
import { StoreDuplicateError } from '../../core/store/errors.js';
import type { Mailer } from './ports.js';

export function createOutboxMailer(deps: ServiceDeps, logger: Pick<Logger, 'info'>): Mailer {
  let closed = false;
  return {
    kind: 'outbox',
    async send(message) {
      if (closed) throw new Error('the mailer is closed');
      const id = `m${createHash('sha256').update(message.messageId).digest('hex').slice(0, 32)}`;
      try {
        await commit(deps, { projectId: null }, (uow) =>
          uow.insert('outbox', {
            id,
            to: message.to,
            subject: message.subject,
            text: message.text,
            html: message.html,
            messageId: message.messageId,
            createdAt: deps.now().toISOString(),
          }),
        );
      } catch (error) {
        if (!(error instanceof StoreDuplicateError)) throw error;
      }
      logger.info({ to: message.to, subject: message.subject }, 'mail kept in the outbox (no SMTP_URL)');
    },
    verify: async () => {},
    close: async () => {
      closed = true;
    },
  };
}
