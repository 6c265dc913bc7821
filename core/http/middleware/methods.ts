// A known path asked with a method it does not have (TRACE, PUT where only
// GET exists...) answers 405 with the methods it has in `Allow`, as HTTP
// says; @koa/router's own allowedMethods answers 501 for methods it has never
// heard of. Unknown paths fall through to the 404.

import type Router from '@koa/router';
import type { Middleware } from 'koa';

/**
 * Mounted before the router. A path that some route names literally
 * (`/api/projects/import`) is that route's alone, as in the API document,
 * even where a templated one (`/api/projects/:projectId`) would also match it.
 */
export function methodNotAllowed(router: Router): Middleware {
  return async (ctx, next) => {
    const matched = router.match(ctx.path, ctx.method);
    const routes = matched.path.filter((layer) => layer.methods.length > 0);
    const literal = routes.filter((layer) => typeof layer.path === 'string' && !layer.path.includes(':'));
    const owners = literal.length > 0 ? literal : routes;
    const methods = [...new Set(owners.flatMap((layer) => layer.methods))];
    if (methods.length === 0 || methods.includes(ctx.method)) return next();
    ctx.set('Allow', methods.join(', '));
    ctx.status = 405;
  };
}
