import { z } from 'zod';
import { CreatedIncomingHookView, CreatedWebhookView, IncomingHookView, MessageView, WebhookDeliveryView, WebhookView } from '../../../presenters/index.js';
import { Id, listOf, PageQuery, text } from '../common.js';

const Url = z
  .string()
  .max(2048)
  .regex(/^https?:\/\/[^\s]+$/i, 'must be an absolute http or https URL')
  .describe('http(s); private, loopback and metadata addresses are refused unless WEBHOOK_ALLOW_PRIVATE=true');
const Events = z
  .array(z.string().min(1).max(60).regex(/^[a-z_]+\.(\*|[a-z_]+)$/, 'must be a change type like task.created or a pattern like task.*'))
  .min(1)
  .max(50)
  .describe('change types or <entity>.* patterns');

export const WebhookBody = z.object({ url: Url, events: Events, description: z.string().max(500).optional() }).strict();
export const WebhookPatch = z
  .object({ url: Url.optional(), events: Events.optional(), description: z.string().max(500).optional(), enabled: z.boolean().optional() })
  .strict()
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), { message: 'give at least one field to change' });
export const WebhookParams = z.object({ webhookId: Id });
export const DeliveryParams = z.object({ webhookId: Id, deliveryId: Id });
export const WebhookList = z.object({ items: z.array(WebhookView), nextCursor: z.null() });
export const DeliveryList = listOf(WebhookDeliveryView);
export const DeliveriesQuery = PageQuery;
export const HookBody = z.object({ name: text(1, 80) }).strict();
export const HookParams = z.object({ hookId: Id });
export const HookTokenParams = z.object({ token: z.string().min(1).max(200) });
export const HookList = z.object({ items: z.array(IncomingHookView), nextCursor: z.null() });
export const HookPost = z.object({ text: text(1, 4000) }).strict();
export const Accepted = z.object({ accepted: z.literal(true) });
export const TestOutcome = z.object({
  delivered: z.boolean(),
  responseStatus: z.number().int().nullable(),
  error: z.string().nullable().describe('why the receiver did not accept it'),
});
export { CreatedIncomingHookView, CreatedWebhookView, MessageView, WebhookView };
