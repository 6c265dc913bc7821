import { z } from 'zod';
import { EmbedTokenView } from '../../../presenters/index.js';
import { normalizeOrigin } from '../../../services/embeds.js';
import { Id, text } from '../common.js';

/**
 * A browser's Origin names a host of letters, digits, dots and hyphens (IDNs arrive as xn--), or an IPv6 literal:
 * the URL parser also takes sub-delimiters such as `*` in a host, which no page is ever served from.
 */
const hostIsPlain = (value: string): boolean => /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])$/i.test(new URL(value).hostname);

const Origin = z
  .string()
  .max(300)
  .refine((value) => normalizeOrigin(value) !== null && hostIsPlain(value), 'must be an origin like https://intranet.example (scheme, host and port only)')
  // What the check accepts, as far as a pattern can say it: http(s), a DNS name (whose last label is not a number) or
  // an IPv4 address, an optional port.
  .meta({ pattern: '^https?://(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)*[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?|(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9]))(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?/?$' });

export const EmbedParams = z.object({ projectId: Id, embedTokenId: Id });
export const EmbedCreate = z
  .object({
    name: text(1, 100),
    origins: z.array(Origin).min(1, 'list at least one origin').max(20),
    role: z.enum(['viewer', 'member']),
    identity: z.enum(['anonymous', 'verified']).default('anonymous'),
  })
  .strict();

export const EmbedList = z.object({ items: z.array(EmbedTokenView), nextCursor: z.null() });
