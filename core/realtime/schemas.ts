// Socket payloads are outside input like HTTP bodies: validated, closed, small.

import { z } from 'zod';

const ProjectId = z.string().min(1).max(100);

export const SubscribePayload = z.object({ projectId: ProjectId, since: z.number().int().min(0).optional() }).strict();
export const UnsubscribePayload = z.object({ projectId: ProjectId }).strict();
export const ActivityPayload = z.object({ projectId: ProjectId.optional() }).strict().optional();

export interface Ack {
  (reply: unknown): void;
}
