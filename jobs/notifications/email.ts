// The email channel: one mail per delivery, with a plain-text and an HTML body
// (every piece of user text escaped), links to PUBLIC_URL, and the delivery id
// as the Message-ID so a resend after a crash is recognisable as the same mail.

import type { Notification, User } from '../../core/store/entities.js';
import { MailSendError, type Mailer } from '../mail/ports.js';
import { ChannelError, type Channel } from './channels.js';

const SUBJECTS: Record<Notification['event'], string> = {
  assigned: 'Assigned to you',
  due_soon: 'Due soon',
  overdue: 'Overdue',
  mentioned: 'You were mentioned',
  digest: 'Your day in Taskwire',
  test: 'Test notification',
};

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

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
  const link = notificationLink(publicUrl, notification);
  const subject = `${SUBJECTS[notification.event]}: ${notification.text.split('\n')[0]!.slice(0, 120)}`;
  const text = [
    `Hello ${user.name},`,
    '',
    notification.text,
    '',
    `Open it in Taskwire: ${link}`,
    '',
    '--',
    `You get this because of your notification settings: ${publicUrl}/#/settings`,
  ].join('\n');
  const paragraphs = notification.text
    .split('\n')
    .map((line) => `<p style="margin:0 0 8px">${escapeHtml(line)}</p>`)
    .join('');
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1f2937">
<p>Hello ${escapeHtml(user.name)},</p>
${paragraphs}
<p><a href="${escapeHtml(link)}">Open it in Taskwire</a></p>
<p style="color:#6b7280;font-size:12px">You get this because of your <a href="${escapeHtml(`${publicUrl}/#/settings`)}">notification settings</a>.</p>
</body></html>`;
  return { subject, text, html };
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
