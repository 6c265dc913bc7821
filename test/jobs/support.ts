// Helpers the notification suites share: a server with SMTP, people in a
// project, inbox reads, and instance admins.

import type { User } from '../../core/store/entities.js';
import type { Store } from '../../core/store/ports.js';
import { registerUser, type TestUser } from '../support/api.js';
import type { ParsedMail } from '../support/smtp.js';

export interface Team {
  owner: TestUser;
  ana: TestUser;
  bo: TestUser;
  projectId: string;
  generalRoomId: string;
}

export async function makeTeam(api: { url: string }): Promise<Team> {
  const owner = await registerUser(api, 'Olga Owner');
  const ana = await registerUser(api, 'Ana Assignee');
  const bo = await registerUser(api, 'Bo Bystander');
  const projectId = (await owner.client.post('/api/projects', { name: 'Launch' })).body.id as string;
  for (const person of [ana, bo]) {
    const added = await owner.client.post(`/api/projects/${projectId}/members`, { email: person.email, role: 'member' });
    if (added.status !== 201) throw new Error(`adding a member failed: ${JSON.stringify(added.body)}`);
  }
  const generalRoomId = (await owner.client.get(`/api/projects/${projectId}/rooms`)).body.items[0].id as string;
  return { owner, ana, bo, projectId, generalRoomId };
}

export interface InboxItem {
  id: string;
  event: string;
  taskId?: string;
  messageId?: string;
  projectId: string | null;
  text: string;
  readAt: string | null;
  deliveries: { channel: string; status: string; attempts: number; lastError: string | null; sentAt: string | null }[];
}

export async function inbox(user: TestUser): Promise<InboxItem[]> {
  const reply = await user.client.get('/api/me/notifications?limit=200');
  if (reply.status !== 200) throw new Error(`inbox: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.items as InboxItem[];
}

export { eventually } from '../support/eventually.js';

export const isoIn = (ms: number): string => new Date(Date.now() + ms).toISOString();

/** Makes `userId` an instance admin, as `npm run create-admin` would have. */
export async function makeAdmin(store: Store, userId: string): Promise<void> {
  const user = (await store.users.get(userId)) as User;
  await store.write({ projectId: null }, (uow) => uow.replace('users', { ...user, isAdmin: true }));
}

/** Mail a notification sent to `email` (not the account mail, such as the address check after sign-up). */
export function notificationMails(smtp: { mails: ParsedMail[] }, email: string): ParsedMail[] {
  return smtp.mails.filter((m) => m.to.some((t) => t.address === email) && !m.subject.startsWith('Confirm your email'));
}
