import { z } from 'zod';
import { AdminDeliveryView, DELIVERY_CHANNELS, DELIVERY_STATUSES, NotificationView, OutboxMailView, ReminderView } from '../../../presenters/index.js';
import { Id, listOf, PageQuery } from '../common.js';

export const InboxQuery = PageQuery.extend({
  unread: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true')
    .describe('true: only notifications not read yet'),
});
export const InboxPage = listOf(NotificationView).extend({ unread: z.number().int().describe('how many of the caller\'s notifications are unread') });

export const ReadBody = z.object({ ids: z.array(Id).min(1).max(200) }).strict();
export const UnreadCount = z.object({ unread: z.number().int() });

export const TestBody = z.object({ channel: z.enum(DELIVERY_CHANNELS) }).strict();
export const TestAccepted = z.object({ accepted: z.literal(true) });

export const ReminderList = z.object({ items: z.array(ReminderView) });

export const DeliveriesQuery = PageQuery.extend({
  status: z.enum(DELIVERY_STATUSES).optional(),
  channel: z.enum(DELIVERY_CHANNELS).optional(),
});
export const DeliveriesPage = listOf(AdminDeliveryView);
export const OutboxPage = listOf(OutboxMailView);
