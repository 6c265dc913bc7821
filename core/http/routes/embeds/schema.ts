import { z } from 'zod';
import { EmbedTokenView } from '../../../presenters/index.js';
import { normalizeOrigin } from '../../../services/embeds.js';
import { Id, text } from '../common.js';

const Origin = z
  .string()
  .max(300)
  .refine((value) => normalizeOrigin(value) !== null, 'must be an origin like https://intranet.example (scheme, host and port only)');

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
