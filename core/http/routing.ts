// One definition per route: its schemas, its success response and its handler.
// The same definitions mount on the Koa router and generate the OpenAPI
// document, so the document cannot list a route that does not exist or miss one
// that does. Handlers stay thin: the input is validated before they run, they
// call one service and return what a presenter made.

import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { RequestActor as Actor } from '../domain/actor.js';
import { UnauthenticatedError } from '../errors.js';
import { PreparedReply } from './list-cache.js';
import { jsonBody } from './middleware/body.js';
import { parseInput } from './validate.js';

export type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
type AnyObject = z.ZodObject<z.ZodRawShape>;
type Auth = 'public' | 'required';

export interface HandlerInput<P extends AnyObject, Q extends AnyObject, B extends z.ZodType, A extends Auth> {
  actor: A extends 'required' ? Actor : Actor | null;
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
  /** For the few things a schema cannot carry: If-Match, the client's IP, response headers. */
  ctx: Context;
}

export interface RouteDef<P extends AnyObject = AnyObject, Q extends AnyObject = AnyObject, B extends z.ZodType = z.ZodType, A extends Auth = Auth> {
  method: Method;
  /** Koa path syntax: /api/tasks/:taskId */
  path: string;
  tag: string;
  summary: string;
  auth: A;
  params?: P;
  query?: Q;
  body?: B;
  /** Success status; 204 sends no body. */
  status: number;
  response: z.ZodType | null;
  /** Error statuses this route may answer with, for the document. */
  errors: number[];
  /** A larger JSON body than the 1 MB every other route takes (a project import); refused with 413 above it. */
  bodyLimitBytes?: number;
  /**
   * A list answered through core/http/list-cache.ts: its 200 carries a weak ETag, and If-None-Match with a
   * current tag answers 304 (both written into the document).
   */
  conditional?: boolean;
  handle(input: HandlerInput<P, Q, B, A>): Promise<unknown>;
}

/** Identity with inference, so each handler sees its own typed input. */
export function route<P extends AnyObject = z.ZodObject<{}>, Q extends AnyObject = z.ZodObject<{}>, B extends z.ZodType = z.ZodUndefined, A extends Auth = 'required'>(
  def: RouteDef<P, Q, B, A>,
): RouteDef {
  return def as unknown as RouteDef;
}

export type ResolveActor = (ctx: Context) => Promise<Actor | null>;

/** For a route without params or query schema: anything passes. Made once: zod compiles each new schema on first use. */
const ANY_OBJECT = z.object({}).loose();

export function mountRoutes(router: Router, routes: readonly RouteDef[], resolveActor: ResolveActor): void {
  for (const def of routes) {
    // The body is parsed per route, after routing, so that one route's larger limit stays its own.
    router[def.method](def.path, jsonBody(def.bodyLimitBytes), async (ctx) => {
      const actor = await resolveActor(ctx);
      if (def.auth === 'required' && !actor) throw new UnauthenticatedError();
      const params = parseInput(def.params ?? ANY_OBJECT, ctx.params, 'params');
      const query = parseInput(def.query ?? ANY_OBJECT, { ...ctx.query }, 'query');
      const rawBody = (ctx.request as { body?: unknown }).body;
      const body = def.body ? parseInput(def.body, rawBody ?? {}, 'body') : undefined;
      const result = await def.handle({ actor: actor as Actor, params, query, body, ctx });
      if (result instanceof PreparedReply) {
        ctx.status = result.status;
        if (result.body) {
          ctx.type = 'application/json';
          ctx.body = result.body;
        }
        return;
      }
      ctx.status = def.status;
      if (def.status !== 204) ctx.body = result;
    });
  }
}
