// JSON bodies only, at most 1 MB unless the route allows more (a project
// import; RouteDef.bodyLimitBytes). Size is refused before parsing (413), bad
// JSON and non-JSON bodies are 400 in the error shape, never a 500.

import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';
import { PayloadTooLargeError, ValidationError } from '../../errors.js';

export const BODY_LIMIT_BYTES = 1024 * 1024;

export function jsonBody(limitBytes = BODY_LIMIT_BYTES): Middleware {
  const parse = bodyParser({ enableTypes: ['json'], jsonLimit: limitBytes, jsonStrict: true, encoding: 'utf-8' });
  return async (ctx, next) => {
    const hasBody = ctx.request.length > 0 || ctx.get('Transfer-Encoding') !== '';
    if (!hasBody || ctx.method === 'GET' || ctx.method === 'HEAD') return next();
    if (ctx.request.length > limitBytes) throw new PayloadTooLargeError(limitBytes);
    if (!ctx.is('application/json')) {
      throw new ValidationError([{ path: 'body', message: 'must be JSON sent with Content-Type: application/json' }]);
    }
    try {
      await parse(ctx, async () => {});
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 413) throw new PayloadTooLargeError(limitBytes);
      if (status === 400 || status === 415 || status === 422) {
        throw new ValidationError([{ path: 'body', message: 'is not valid JSON (an object or an array is expected)' }]);
      }
      throw error;
    }
    return next();
  };
}
