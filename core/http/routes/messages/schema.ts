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
