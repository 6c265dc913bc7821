import { z } from 'zod';
import { CHANGE_TYPES } from '../../../domain/change-types.js';
import { CreatedIncomingHookView, CreatedWebhookView, IncomingHookView, MessageView, WebhookDeliveryView, WebhookView } from '../../../presenters/index.js';
import { changes, Id, listOf, PageQuery, text } from '../common.js';

// What the server can deliver to, said so a client can check it too: http or https in any case, a host name whose
// last label is letters (a number there would make the URL parser read an IPv4 address; punycode there cannot be
// checked by a pattern; a final dot is allowed) or an IPv4 address, an optional port up to 65535, then anything but
// spaces and control characters. No user name or password (the delivery check refuses them) and no IPv6 literal.
const HOST_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const LAST_LABEL = '[A-Za-z]{2,63}';
const IPV4_PART = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const PORT = '(?:[0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])';
const URL_PATTERN = new RegExp(
  `^[Hh][Tt][Tt][Pp][Ss]?://(?:(?:${HOST_LABEL}\\.)*${LAST_LABEL}\\.?|${IPV4_PART}(?:\\.${IPV4_PART}){3})(?::${PORT})?(?:[/?#][^\\x00-\\x20\\x7f]*)?$`,
);
const Url = z
  .string()
  .max(2048)
  .regex(URL_PATTERN, 'must be an absolute http or https URL with a host name or IPv4 address')
  .describe('http(s); private, loopback and metadata addresses are refused unless WEBHOOK_ALLOW_PRIVATE=true');
/** Every change type a webhook may name, and each entity's `<entity>.*`: the document lists them all. */
const KNOWN_EVENTS = [...CHANGE_TYPES, ...new Set(CHANGE_TYPES.map((type) => `${type.split('.')[0]}.*`))];
const Events = z
  .array(z.string().min(1).max(60).regex(/^[a-z_]+\.(\*|[a-z_]+)$/, 'must be a change type like task.created or a pattern like task.*').meta({ enum: KNOWN_EVENTS }))
  .min(1)
  .max(50)
  .describe('change types or <entity>.* patterns');

export const WebhookBody = z.object({ url: Url, events: Events, description: z.string().max(500).optional() }).strict();
export const WebhookPatch = changes(
  z.object({ url: Url.optional(), events: Events.optional(), description: z.string().max(500).optional(), enabled: z.boolean().optional() }).strict(),
);
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
