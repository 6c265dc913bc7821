import { z } from 'zod';
import { MeView, TokenView } from '../../../presenters/index.js';
import { Email, Id, text } from '../common.js';

const Password = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(200, 'must be at most 200 characters')
  .refine((value) => value.trim().length > 0, 'must not be only spaces');

export const RegisterBody = z.object({ email: Email, name: text(1, 100), password: Password }).strict();
export const LoginBody = z.object({ email: text(1, 254), password: text(1, 200) }).strict();
export const SessionView = z.object({ user: MeView, token: z.string() });

export const MePatch = z
  .object({
    name: text(1, 100).optional(),
    password: Password.optional(),
    notify: z.object({ email: z.boolean().optional(), assignments: z.boolean().optional(), reminders: z.boolean().optional() }).strict().optional(),
  })
  .strict();

export const TokenBody = z.object({ name: text(1, 100) }).strict();
export const CreatedToken = z.object({ id: z.string(), name: z.string(), token: z.string() });
export const TokenParams = z.object({ tokenId: Id });
export const TokenList = z.object({ items: z.array(TokenView), nextCursor: z.null() });
