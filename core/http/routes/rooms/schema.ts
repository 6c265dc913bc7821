import { z } from 'zod';
import { RoomMemberView, RoomView } from '../../../presenters/index.js';
import { changes, Id, listOf, text } from '../common.js';

export const RoomParams = z.object({ roomId: Id });
export const RoomMemberParams = z.object({ roomId: Id, userId: Id });

// Slug-like names read the same in every bridge (#name in Slack and Discord).
export const RoomName = z
  .string()
  .min(1, 'must have at least 1 character')
  .max(80, 'must be at most 80 characters')
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lower-case letters, digits, - or _, starting with a letter or digit');
export const Topic = text(0, 250);

export const RoomCreate = z.object({ name: RoomName, topic: Topic.optional(), private: z.boolean().optional() }).strict();
export const RoomPatch = changes(z.object({ name: RoomName.optional(), topic: Topic.optional() }).strict(), 'give name or topic to change');
export const RoomMemberCreate = z.object({ userId: Id, role: z.enum(['member', 'admin']).optional() }).strict();

export const RoomList = listOf(RoomView);
export const RoomMemberList = listOf(RoomMemberView);
