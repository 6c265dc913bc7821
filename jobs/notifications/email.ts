// The email channel: one mail per delivery, with a plain-text and an HTML body
// (every piece of user text escaped), links to PUBLIC_URL, and the delivery id
// as the Message-ID so a resend after a crash is recognisable as the same mail.

import type { Notification, User } from '../../core/store/entities.js';
import { renderMail } from '../mail/layout.js';
import { MailSendError, type Mailer } from '../mail/ports.js';
import { ChannelError, type Channel } from './channels.js';

const SUBJECTS: Record<Notification['event'], string> = {
  assigned: 'Assigned to you',
  due_soon: 'Due soon',
  overdue: 'Overdue',
  mentioned: 'You were mentioned',
  digest: 'Your day in Taskwire',
  test: 'Test notification',
  webhook_disabled: 'Webhook disabled',
};

/** Where the notification's subject lives in the app page. */
export function notificationLink(publicUrl: string, notification: Notification): string {
  if (!notification.projectId) return `${publicUrl}/`;
  const view = notification.messageId ? 'chat' : 'board';
  return `${publicUrl}/#/projects/${encodeURIComponent(notification.projectId)}/${view}`;
}

export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
}

export function composeMail(publicUrl: string, user: User, notification: Notification): ComposedMail {
  const subject = `${SUBJECTS[notification.event]}: ${notification.text.split('\n')[0]!.slice(0, 120)}`;
  const body = renderMail({
    greeting: `Hello ${user.name},`,
    lines: notification.text.split('\n'),
    action: { label: 'Open it in Taskwire', url: notificationLink(publicUrl, notification) },
    footer: 'You get this because of your notification settings:',
    footerLink: { label: 'notification settings', url: `${publicUrl}/#/settings` },
  });
  return { subject, ...body };
}

export function emailChannel(mailer: Mailer, publicUrl: string): Channel {
  return {
    name: 'email',
    unreachable: async (user) => (user.email.endsWith('.invalid') ? 'this account has no email address' : null),
    async send({ user, notification, deliveryId }) {
      const mail = composeMail(publicUrl, user, notification);
      const host = new URL(publicUrl).hostname || 'taskwire.local';
      try {
        await mailer.send({ to: user.email, ...mail, messageId: `${deliveryId}@${host}` });
      } catch (error) {
        if (error instanceof MailSendError) throw new ChannelError(error.message, error.transient);
        throw error;
      }
    },
  };
}
