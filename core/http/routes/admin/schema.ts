import { z } from 'zod';
import { AdminUserView, AuditView, REGISTRATION_POLICIES, SettingsView, StatsView } from '../../../presenters/index.js';
import { changes, Email, Id, listOf, PageQuery, text } from '../common.js';

export const UsersQuery = PageQuery.extend({ q: z.string().min(1).max(100).optional().describe('part of an email or name') });
export const UserList = listOf(AdminUserView);
export const UserParams = z.object({ userId: Id });
export const UserPatch = changes(
  z.object({ disabled: z.boolean().optional(), isAdmin: z.boolean().optional(), verified: z.boolean().optional() }).strict(),
  'give at least one of disabled, isAdmin, verified',
);
export const UserCreate = z.object({ email: Email, name: text(1, 100), isAdmin: z.boolean().optional() }).strict();
export const SettingsPatch = z.object({ registration: z.enum(REGISTRATION_POLICIES) }).strict();
export const AuditList = listOf(AuditView);
export { AdminUserView, SettingsView, StatsView };
export const Accepted = z.object({ accepted: z.literal(true) });
