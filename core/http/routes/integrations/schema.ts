import { z } from 'zod';
import { IdentityView, LinkView, PLATFORMS } from '../../../presenters/index.js';
import { Id, LinkToken } from '../common.js';

/** Slack ids (T…, C…, U…) and Discord snowflakes: letters and digits only. */
const ExternalId = z.string().regex(/^[A-Za-z0-9]{1,40}$/, 'must be a Slack or Discord id (letters and digits)');

export const LinkBody = z.object({ platform: z.enum(PLATFORMS), teamId: ExternalId, channelId: ExternalId, roomId: Id }).strict();
export const LinkList = z.object({ items: z.array(LinkView), nextCursor: z.null() });
export const LinkParams = z.object({ linkId: Id });
export const IdentityBody = z.object({ code: LinkToken.describe('the code of the /connect URL that /task connect handed out') }).strict();
export const IdentityList = z.object({ items: z.array(IdentityView), nextCursor: z.null() });
export const IdentityParams = z.object({ identityId: Id });
export const Manifest = z.record(z.string(), z.unknown());
export { LinkView, IdentityView };
