import { ForbiddenError } from '../../../errors.js';
import type { Actor, UserActor } from '../../../domain/actor.js';
import { MeView } from '../../../presenters/index.js';
import * as auth from '../../../services/auth.js';
import { route, type RouteDef } from '../../routing.js';
import * as recovery from '../../../services/recovery.js';
import { registrationOptions } from '../../../services/registration.js';
import {
  Accepted,
  CreatedToken,
  LoginBody,
  MePatch,
  RegisterBody,
  RegistrationOptionsView,
  ResetConfirmBody,
  ResetRequestBody,
  SessionView,
  TokenBody,
  TokenList,
  TokenOnlyBody,
  TokenParams,
} from './schema.js';

/** Account routes are for people, not for embedded widgets. */
function userOnly(actor: Actor): UserActor {
  if (actor.kind !== 'user') throw new ForbiddenError('This needs a user token.');
  return actor;
}

export function authRoutes(deps: auth.AuthDeps): RouteDef[] {
  return [
    route({
      method: 'get', path: '/api/auth/options', tag: 'auth', summary: 'Who may sign up here, for the sign-in form', auth: 'public',
      status: 200, response: RegistrationOptionsView, errors: [],
      handle: () => registrationOptions(deps),
    }),
    route({
      method: 'post', path: '/api/auth/register', tag: 'auth', summary: 'Create an account and a session (the first account, an invite link, or an open policy)', auth: 'public',
      body: RegisterBody, status: 201, response: SessionView, errors: [400, 403, 404, 409, 413, 429],
      handle: ({ body, ctx }) => auth.register(deps, body, ctx.ip),
    }),
    route({
      method: 'post', path: '/api/auth/login', tag: 'auth', summary: 'Start a session', auth: 'public',
      body: LoginBody, status: 200, response: SessionView, errors: [400, 401, 413, 429],
      handle: ({ body, ctx }) => auth.login(deps, body, ctx.ip),
    }),
    route({
      method: 'post', path: '/api/auth/password-reset', tag: 'auth', summary: 'Mail a one-time reset link (the same answer for every address)', auth: 'public',
      body: ResetRequestBody, status: 202, response: Accepted, errors: [400, 413, 429],
      handle: async ({ body, ctx }) => {
        await recovery.requestPasswordReset(deps, body.email, ctx.ip);
        return { accepted: true as const };
      },
    }),
    route({
      method: 'post', path: '/api/auth/password-reset/confirm', tag: 'auth', summary: 'Set a new password with a reset link; ends every session and token of the account', auth: 'public',
      body: ResetConfirmBody, status: 204, response: null, errors: [400, 404, 413],
      handle: ({ body }) => recovery.confirmPasswordReset(deps, body.token, body.password),
    }),
    route({
      method: 'post', path: '/api/auth/verify-email', tag: 'auth', summary: 'Prove an address with the mailed link', auth: 'public',
      body: TokenOnlyBody, status: 204, response: null, errors: [400, 404, 413],
      handle: ({ body }) => recovery.verifyEmail(deps, body.token),
    }),
    route({
      method: 'post', path: '/api/auth/logout', tag: 'auth', summary: 'Revoke the token of this request', auth: 'required',
      status: 204, response: null, errors: [401, 403],
      handle: ({ actor }) => auth.logout(deps, userOnly(actor)),
    }),
    route({
      method: 'get', path: '/api/me', tag: 'auth', summary: 'The caller (for an embed token: the user it acts as)', auth: 'required',
      status: 200, response: MeView, errors: [401],
      handle: ({ actor }) => auth.getMe(deps, actor),
    }),
    route({
      method: 'patch', path: '/api/me', tag: 'auth', summary: 'Change name, password or notification settings', auth: 'required',
      body: MePatch, status: 200, response: MeView, errors: [400, 401, 403, 409, 413],
      handle: ({ actor, body }) => auth.updateMe(deps, userOnly(actor), body),
    }),
    route({
      method: 'post', path: '/api/tokens', tag: 'auth', summary: 'Create a personal API token (shown once)', auth: 'required',
      body: TokenBody, status: 201, response: CreatedToken, errors: [400, 401, 403, 413],
      handle: ({ actor, body }) => auth.createApiToken(deps, userOnly(actor), body),
    }),
    route({
      method: 'get', path: '/api/tokens', tag: 'auth', summary: 'The caller\'s API tokens', auth: 'required',
      status: 200, response: TokenList, errors: [401, 403],
      handle: async ({ actor }) => ({ items: await auth.listApiTokens(deps, userOnly(actor)), nextCursor: null }),
    }),
    route({
      method: 'delete', path: '/api/tokens/:tokenId', tag: 'auth', summary: 'Revoke an API token', auth: 'required',
      params: TokenParams, status: 204, response: null, errors: [401, 403, 404],
      handle: ({ actor, params }) => auth.deleteApiToken(deps, userOnly(actor), params.tokenId),
    }),
  ];
}
