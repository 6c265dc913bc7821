// The widget bundle (/widget.js) and the app page (/). Filled in by the widget work.

import type { Middleware } from 'koa';

export function staticAssets(): Middleware {
  return async (_ctx, next) => next();
}
