import { z } from 'zod';
import { ChangeView } from '../../../presenters/index.js';

export const FeedQuery = z.object({
  since: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export const FeedPage = z.object({ changes: z.array(ChangeView), lastSeq: z.number().int() });
