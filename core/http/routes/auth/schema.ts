import { z } from 'zod';
import { MeView, TokenView } from '../../../presenters/index.js';
import { changes, Email, Id, LinkToken as SharedLinkToken, text, TimeZone } from '../common.js';
import { REMIND_BEFORE_MAX_MINUTES } from '../../../domain/notify.js';

const Password = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(200, 'must be at most 200 characters')
  .refine((value) => value.trim().length > 0, 'must not be only spaces');

const LinkToken = SharedLinkToken.describe('the token of a one-time link');

export const RegisterBody = z
  .object({ email: Email, name: text(1, 100), password: Password, inviteToken: LinkToken.optional().describe('from an invite link: signs up under any policy and joins the project') })
  .strict();
export const ResetRequestBody = z.object({ email: Email }).strict();
export const ResetConfirmBody = z.object({ token: LinkToken, password: Password }).strict();
export const TokenOnlyBody = z.object({ token: LinkToken }).strict();
export const Accepted = z.object({ accepted: z.literal(true) });
export const LoginBody = z.object({ email: text(1, 254), password: text(1, 200) }).strict();
export const SessionView = z.object({ user: MeView, token: z.string() });

/** A partial `notify`: what is given merges into the current preferences. */
export const NotifyPatch = z
  .object({
    assigned: z.boolean().optional(),
    dueSoon: z.boolean().optional(),
    overdue: z.boolean().optional(),
    mentioned: z.boolean().optional(),
    digest: z.boolean().optional(),
    remindBefore: z.number().int().min(0).max(REMIND_BEFORE_MAX_MINUTES).optional().describe('whole minutes before dueAt; 0 turns due_soon off'),
    timezone: TimeZone.optional(),
    channels: z.object({ email: z.boolean().optional(), slack: z.boolean().optional(), discord: z.boolean().optional() }).strict().optional(),
  })
  .strict();

export const MePatch = changes(
  z
    .object({
      name: text(1, 100).optional(),
      password: Password.optional(),
      notify: NotifyPatch.optional(),
    })
    .strict(),
);

export const TokenBody = z.object({ name: text(1, 100) }).strict();
export const CreatedToken = z.object({ id: z.string(), name: z.string(), token: z.string() });
export const TokenParams = z.object({ tokenId: Id });
export const TokenList = z.object({ items: z.array(TokenView), nextCursor: z.null() });
export { RegistrationOptionsView } from '../../../presenters/index.js';
