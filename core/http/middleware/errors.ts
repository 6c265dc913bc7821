// The one place errors become HTTP responses: AppError → its status and code;
// errors Koa or its middleware raise with an HTTP status → the matching code;
// anything else → a masked 500 logged with the request id.

import type { Middleware } from 'koa';
import { AppError, RateLimitedError, type ErrorCode } from '../../errors.js';
import type { RequestState } from './request-id.js';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'validation_failed',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  429: 'rate_limited',
  503: 'unavailable',
};

interface ErrorBody {
  error: { code: ErrorCode; message: string; details: unknown[] };
}

function httpStatusOf(error: unknown): number | null {
  const status = (error as { status?: unknown; expose?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}

export function errorBody(code: ErrorCode, message: string, details: unknown[] = []): ErrorBody {
  return { error: { code, message, details } };
}

export function errorHandler(): Middleware<RequestState> {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = errorBody('not_found', `No route for ${ctx.method} ${ctx.path}.`);
      } else if (ctx.status === 405 && ctx.body === undefined) {
        ctx.status = 405;
        ctx.body = errorBody('not_found', `${ctx.method} is not allowed here; allowed: ${ctx.response.get('Allow')}.`);
      }
    } catch (error) {
      if (error instanceof AppError) {
        ctx.status = error.status;
        ctx.body = errorBody(error.code, error.message, error.details);
        if (error instanceof RateLimitedError) ctx.set('Retry-After', String(error.retryAfterSeconds));
        return;
      }
      const status = httpStatusOf(error);
      if (status !== null) {
        ctx.status = status;
        const message = (error as { expose?: boolean }).expose && error instanceof Error ? error.message : 'The request cannot be served.';
        ctx.body = errorBody(CODE_BY_STATUS[status] ?? 'validation_failed', message);
        return;
      }
      ctx.state.log.error({ err: error, method: ctx.method, path: ctx.path }, 'unhandled error');
      ctx.status = 500;
      ctx.body = errorBody('internal', `Something went wrong on our side. Quote request id ${ctx.state.requestId} when reporting it.`);
    }
  };
}
