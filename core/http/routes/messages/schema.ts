import { z } from 'zod';
import { MessageView } from '../../../presenters/index.js';
import { Id, listOf, text } from '../common.js';

export const MessageParams = z.object({ messageId: Id });
const MessageText = text(1, 4000);

export const MessageCreate = z.object({ text: MessageText }).strict();
export const MessagePatch = z.object({ text: MessageText }).strict();
export const MessageListQuery = z.object({
  before: Id.optional().describe('a message id: list only messages older than it (the previous page\'s nextCursor)'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const MessageList = listOf(MessageView);
/** The posted message; a `/task` command whose reply concerns its author alone also carries that reply. */
export const MessagePosted = MessageView.extend({
  commandReply: z
    .object({ ok: z.boolean(), text: z.string() })
    .optional()
    .describe('the reply to a /task command that only its author sees (help, lists, refusals); it is not stored in the room'),
});
