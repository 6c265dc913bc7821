// A known path asked with a method it does not have (TRACE, PUT where only
// GET exists...) answers 405 with the methods it has in `Allow`, as HTTP
// says; @koa/router's own allowedMethods answers 501 for methods it has never
// heard of. Unknown paths fall through to the 404.

import type Router from '@koa/router';
import type { Middleware } from 'koa';

export function methodNotAllowed(router: Router): Middleware {
  return async (ctx, next) => {
    const matched = router.match(ctx.path, ctx.method);
    const methods = [...new Set(matched.path.flatMap((layer) => layer.methods))];
    if (matched.route || methods.length === 0) return next();
    ctx.set('Allow', methods.join(', '));
    ctx.status = 405;
  };
}
