import * as embeds from '../../../services/embeds.js';
import { route, type RouteDef } from '../../routing.js';
import { ProjectParams } from '../projects/schema.js';
import { CreatedEmbedTokenView } from '../../../presenters/index.js';
import { EmbedCreate, EmbedList, EmbedParams } from './schema.js';

export function embedRoutes(deps: embeds.EmbedDeps): RouteDef[] {
  return [
    route({
      method: 'post', path: '/api/projects/:projectId/embed-tokens', tag: 'embeds', summary: 'Create an embed token (admins); token and secret are shown once', auth: 'required',
      params: ProjectParams, body: EmbedCreate, status: 201, response: CreatedEmbedTokenView, errors: [400, 401, 403, 404, 413],
      handle: ({ actor, params, body }) => embeds.createEmbedToken(deps, actor, params.projectId, body),
    }),
    route({
      method: 'get', path: '/api/projects/:projectId/embed-tokens', tag: 'embeds', summary: 'The project\'s embed tokens (admins)', auth: 'required',
      params: ProjectParams, status: 200, response: EmbedList, errors: [401, 403, 404],
      handle: async ({ actor, params }) => ({ items: await embeds.listEmbedTokens(deps, actor, params.projectId), nextCursor: null }),
    }),
    route({
      method: 'delete', path: '/api/projects/:projectId/embed-tokens/:embedTokenId', tag: 'embeds', summary: 'Delete an embed token; its open sockets are cut', auth: 'required',
      params: EmbedParams, status: 204, response: null, errors: [401, 403, 404],
      handle: ({ actor, params }) => embeds.deleteEmbedToken(deps, actor, params.projectId, params.embedTokenId),
    }),
  ];
}
