import { consumeOrRefuse } from '../../../limits/refuse.js';
import * as hooks from '../../../services/hooks.js';
import type { AccountDeps } from '../../../services/registration.js';
import * as webhooks from '../../../services/webhooks.js';
import { route, type RouteDef } from '../../routing.js';
import { ProjectParams } from '../projects/schema.js';
import { RoomParams } from '../rooms/schema.js';
import {
  Accepted,
  CreatedIncomingHookView,
  CreatedWebhookView,
  DeliveriesQuery,
  DeliveryList,
  DeliveryParams,
  HookBody,
  HookList,
  HookParams,
  HookPost,
  HookTokenParams,
  MessageView,
  TestOutcome,
  WebhookBody,
  WebhookList,
  WebhookParams,
  WebhookPatch,
  WebhookView,
} from './schema.js';

/** An incoming hook may post this many messages a minute: a runaway script must not flood a room. */
const HOOK_POSTS_PER_MINUTE = 60;

export function webhookRoutes(deps: AccountDeps & webhooks.WebhookDeps): RouteDef[] {
  const hookLimiter = deps.limiters.create({ points: HOOK_POSTS_PER_MINUTE, durationSeconds: 60, keyPrefix: 'incoming-hook' });
  return [
    route({
      method: 'get', path: '/api/projects/:projectId/webhooks', tag: 'webhooks', summary: 'The project\'s outgoing webhooks (admins)', auth: 'required',
      params: ProjectParams, status: 200, response: WebhookList, errors: [400, 401, 403, 404],
      handle: ({ actor, params }) => webhooks.listWebhooks(deps, actor, params.projectId),
    }),
    route({
      method: 'post', path: '/api/projects/:projectId/webhooks', tag: 'webhooks', summary: 'Create an outgoing webhook; the signing secret is shown once (admins)', auth: 'required',
      params: ProjectParams, body: WebhookBody, status: 201, response: CreatedWebhookView, errors: [400, 401, 403, 404, 413],
      handle: ({ actor, params, body }) => webhooks.createWebhook(deps, actor, params.projectId, body),
    }),
    route({
      method: 'patch', path: '/api/webhooks/:webhookId', tag: 'webhooks', summary: 'Change or re-enable a webhook (admins)', auth: 'required',
      params: WebhookParams, body: WebhookPatch, status: 200, response: WebhookView, errors: [400, 401, 403, 404, 409, 413],
      handle: ({ actor, params, body }) => webhooks.updateWebhook(deps, actor, params.webhookId, body),
    }),
    route({
      method: 'delete', path: '/api/webhooks/:webhookId', tag: 'webhooks', summary: 'Delete a webhook (admins)', auth: 'required',
      params: WebhookParams, status: 204, response: null, errors: [400, 401, 403, 404],
      handle: ({ actor, params }) => webhooks.deleteWebhook(deps, actor, params.webhookId),
    }),
    route({
      method: 'get', path: '/api/webhooks/:webhookId/deliveries', tag: 'webhooks', summary: 'The delivery log, newest first (admins)', auth: 'required',
      params: WebhookParams, query: DeliveriesQuery, status: 200, response: DeliveryList, errors: [400, 401, 403, 404],
      handle: ({ actor, params, query }) => webhooks.listWebhookDeliveries(deps, actor, params.webhookId, query),
    }),
    route({
      method: 'post', path: '/api/webhooks/:webhookId/deliveries/:deliveryId/retry', tag: 'webhooks', summary: 'Send one delivery again now (admins)', auth: 'required',
      params: DeliveryParams, status: 202, response: Accepted, errors: [400, 401, 403, 404, 503],
      handle: async ({ actor, params }) => {
        await webhooks.retryWebhookDelivery(deps, actor, params.webhookId, params.deliveryId);
        return { accepted: true as const };
      },
    }),
    route({
      method: 'post', path: '/api/webhooks/:webhookId/test', tag: 'webhooks', summary: 'Send a signed webhook.test event now and report the answer (admins)', auth: 'required',
      params: WebhookParams, status: 200, response: TestOutcome, errors: [400, 401, 403, 404, 503],
      handle: ({ actor, params }) => webhooks.testWebhook(deps, actor, params.webhookId),
    }),
    route({
      method: 'get', path: '/api/rooms/:roomId/hooks', tag: 'webhooks', summary: 'The room\'s incoming hooks (room or project admins)', auth: 'required',
      params: RoomParams, status: 200, response: HookList, errors: [400, 401, 403, 404],
      handle: ({ actor, params }) => hooks.listIncomingHooks(deps, actor, params.roomId),
    }),
    route({
      method: 'post', path: '/api/rooms/:roomId/hooks', tag: 'webhooks', summary: 'Create an incoming hook: a secret URL that posts into the room (room or project admins)', auth: 'required',
      params: RoomParams, body: HookBody, status: 201, response: CreatedIncomingHookView, errors: [400, 401, 403, 404, 413],
      handle: ({ actor, params, body, ctx }) => hooks.createIncomingHook(deps, actor, params.roomId, body, deps.links.publicUrl() || ctx.origin),
    }),
    route({
      method: 'delete', path: '/api/hooks/:hookId', tag: 'webhooks', summary: 'Delete an incoming hook; its URL answers 404 from then on', auth: 'required',
      params: HookParams, status: 204, response: null, errors: [400, 401, 403, 404],
      handle: ({ actor, params }) => hooks.deleteIncomingHook(deps, actor, params.hookId),
    }),
    route({
      method: 'post', path: '/api/hooks/incoming/:token', tag: 'webhooks', summary: 'Post a message through an incoming hook (the URL is the credential)', auth: 'public',
      params: HookTokenParams, body: HookPost, status: 201, response: MessageView, errors: [400, 404, 413, 429],
      handle: async ({ params, body }) => {
        const hook = await hooks.hookByToken(deps, params.token);
        await consumeOrRefuse(hookLimiter, hook.id);
        return hooks.postThroughHook(deps, hook, body);
      },
    }),
  ];
}
