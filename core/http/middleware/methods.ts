// A known path asked with a method it does not have (TRACE, PUT where only
// GET exists...) answers 405 with the methods it has in `Allow`, as HTTP
// says; @koa/router's own allowedMethods answers 501 for methods it has never
// heard of. Unknown paths fall through to the 404. Requests the router serves
// pay one map lookup here, not a second route match.

import type Router from '@koa/router';
import type { Middleware } from 'koa';

function refuse(ctx: Parameters<Middleware>[0], methods: readonly string[]): void {
  ctx.set('Allow', methods.join(', '));
  ctx.status = 405;
}

/** The methods of each path some route names literally (`/api/projects/import`), read once when mounted. */
function literalPaths(router: Router): Map<string, string[]> {
  const paths = new Map<string, string[]>();
  for (const layer of router.stack) {
    if (typeof layer.path !== 'string' || layer.path.includes(':') || layer.methods.length === 0) continue;
    paths.set(layer.path, [...new Set([...(paths.get(layer.path) ?? []), ...layer.methods])]);
  }
  return paths;
}

/**
 * Before the router: a literal path is its own route's alone, as in the API
 * document, even where a templated one (`/api/projects/:projectId`) would also
 * match it.
 */
export function literalPathMethods(router: Router): Middleware {
  const paths = literalPaths(router);
  return async (ctx, next) => {
    const methods = paths.get(ctx.path);
    if (!methods || methods.includes(ctx.method)) return next();
    refuse(ctx, methods);
  };
}

/** After the router, for what it did not serve: a path some route matches, with another method. */
export function methodNotAllowed(router: Router): Middleware {
  return async (ctx, next) => {
    const methods = [...new Set(router.match(ctx.path, ctx.method).path.flatMap((layer) => layer.methods))];
    if (methods.length === 0) return next();
    refuse(ctx, methods);
  };
}
