import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from '../../logger.js';

export interface RequestState {
  requestId: string;
  log: Logger;
}

const CLIENT_ID = /^[\w.:-]{8,128}$/;

/** Gives every request an id (the caller's X-Request-Id when it is sane) and a logger bound to it. */
export function requestId(logger: Logger): Middleware<RequestState> {
  return async (ctx, next) => {
    const offered = ctx.get('X-Request-Id');
    const id = CLIENT_ID.test(offered) ? offered : randomUUID();
    ctx.state.requestId = id;
    ctx.state.log = logger.child({ requestId: id });
    ctx.set('X-Request-Id', id);
    await next();
  };
}
