import * as admin from '../../../services/admin.js';
import type { InstanceFigures } from '../../../services/stats.js';
import { instanceStats } from '../../../services/stats.js';
import type { AccountDeps } from '../../../services/registration.js';
import { route, type RouteDef } from '../../routing.js';
import { PageQuery } from '../common.js';
import { Accepted, AdminUserView, AuditList, SettingsPatch, SettingsView, StatsView, UserCreate, UserList, UserParams, UserPatch, UsersQuery } from './schema.js';

export function adminRoutes(deps: AccountDeps, figures: InstanceFigures): RouteDef[] {
  return [
    route({
      method: 'get', path: '/api/admin/users', tag: 'admin', summary: 'Accounts, searched by email or name (instance admins)', auth: 'required',
      query: UsersQuery, status: 200, response: UserList, errors: [400, 401, 403],
      handle: ({ actor, query }) => admin.listUsers(deps, actor, query.q, query),
    }),
    route({
      method: 'post', path: '/api/admin/users', tag: 'admin', summary: 'Create an account; its owner sets a password through a mailed link (instance admins)', auth: 'required',
      body: UserCreate, status: 201, response: AdminUserView, errors: [400, 401, 403, 409, 413],
      handle: ({ actor, body, ctx }) => admin.createUser(deps, actor, body, { ip: ctx.ip }),
    }),
    route({
      method: 'patch', path: '/api/admin/users/:userId', tag: 'admin', summary: 'Disable or enable, make admin, mark verified (instance admins)', auth: 'required',
      params: UserParams, body: UserPatch, status: 200, response: AdminUserView, errors: [400, 401, 403, 404, 409, 413],
      handle: ({ actor, params, body, ctx }) => admin.updateUser(deps, actor, params.userId, body, { ip: ctx.ip }),
    }),
    route({
      method: 'post', path: '/api/admin/users/:userId/password-reset', tag: 'admin', summary: 'Mail the account a password reset link (instance admins)', auth: 'required',
      params: UserParams, status: 202, response: Accepted, errors: [400, 401, 403, 404, 409],
      handle: async ({ actor, params, ctx }) => {
        await admin.adminPasswordReset(deps, actor, params.userId, { ip: ctx.ip });
        return { accepted: true as const };
      },
    }),
    route({
      method: 'get', path: '/api/admin/settings', tag: 'admin', summary: 'Instance settings (instance admins)', auth: 'required',
      status: 200, response: SettingsView, errors: [401, 403],
      handle: ({ actor }) => admin.getSettings(deps, actor),
    }),
    route({
      method: 'patch', path: '/api/admin/settings', tag: 'admin', summary: 'Change the registration policy (instance admins)', auth: 'required',
      body: SettingsPatch, status: 200, response: SettingsView, errors: [400, 401, 403, 409, 413],
      handle: ({ actor, body, ctx }) => admin.updateSettings(deps, actor, body, { ip: ctx.ip }),
    }),
    route({
      method: 'get', path: '/api/admin/audit', tag: 'admin', summary: 'Administrative actions, newest first (instance admins)', auth: 'required',
      query: PageQuery, status: 200, response: AuditList, errors: [400, 401, 403],
      handle: ({ actor, query }) => admin.listAudit(deps, actor, query),
    }),
    route({
      method: 'get', path: '/api/admin/stats', tag: 'admin', summary: 'Users, projects, open sockets and queue depth (instance admins)', auth: 'required',
      status: 200, response: StatsView, errors: [401, 403],
      handle: ({ actor }) => instanceStats(deps, actor, figures),
    }),
  ];
}
