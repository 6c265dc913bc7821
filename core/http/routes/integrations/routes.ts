import * as identities from '../../../services/identities.js';
import { slackManifest } from '../../../services/integrations.js';
import * as links from '../../../services/links.js';
import type { AccountDeps } from '../../../services/registration.js';
import { route, type RouteDef } from '../../routing.js';
import { ProjectParams } from '../projects/schema.js';
import { IdentityBody, IdentityList, IdentityParams, IdentityView, LinkBody, LinkList, LinkParams, LinkView, Manifest } from './schema.js';

export function integrationRoutes(deps: AccountDeps): RouteDef[] {
  return [
    route({
      method: 'get', path: '/api/projects/:projectId/links', tag: 'integrations', summary: 'Chat channels linked to the project\'s rooms (admins)', auth: 'required',
      params: ProjectParams, status: 200, response: LinkList, errors: [400, 401, 403, 404],
      handle: ({ actor, params }) => links.listLinks(deps, actor, params.projectId),
    }),
    route({
      method: 'post', path: '/api/projects/:projectId/links', tag: 'integrations', summary: 'Link a Slack or Discord channel to a room (admins)', auth: 'required',
      params: ProjectParams, body: LinkBody, status: 201, response: LinkView, errors: [400, 401, 403, 404, 409, 413],
      handle: ({ actor, params, body }) => links.createLink(deps, actor, params.projectId, body),
    }),
    route({
      method: 'delete', path: '/api/links/:linkId', tag: 'integrations', summary: 'Unlink a channel (admins)', auth: 'required',
      params: LinkParams, status: 204, response: null, errors: [400, 401, 403, 404],
      handle: ({ actor, params }) => links.deleteLink(deps, actor, params.linkId),
    }),
    route({
      method: 'post', path: '/api/me/identities', tag: 'integrations', summary: 'Connect the chat account that asked for this code (from /task connect)', auth: 'required',
      body: IdentityBody, status: 201, response: IdentityView, errors: [400, 401, 403, 404, 409, 413],
      handle: ({ actor, body }) => identities.confirmIdentity(deps, actor, body.code),
    }),
    route({
      method: 'get', path: '/api/me/identities', tag: 'integrations', summary: 'The caller\'s connected chat accounts', auth: 'required',
      status: 200, response: IdentityList, errors: [401, 403],
      handle: ({ actor }) => identities.listIdentities(deps, actor),
    }),
    route({
      method: 'delete', path: '/api/me/identities/:identityId', tag: 'integrations', summary: 'Disconnect a chat account', auth: 'required',
      params: IdentityParams, status: 204, response: null, errors: [400, 401, 403, 404],
      handle: ({ actor, params }) => identities.deleteIdentity(deps, actor, params.identityId),
    }),
    route({
      method: 'get', path: '/api/integrations/slack/manifest', tag: 'integrations', summary: 'The Slack app manifest for this instance (instance admins)', auth: 'required',
      status: 200, response: Manifest, errors: [401, 403],
      handle: async ({ actor }) => slackManifest(actor, deps.links.publicUrl()),
    }),
  ];
}
