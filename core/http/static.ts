// The widget bundle (/widget.js), the app page (/) and its script (/app.js).
// The bundles are built by `npm run build:widget` (widget/build.ts) into
// .cache/widget/; each file is read when it changes, with its ETag and its gzip
// and brotli forms computed once, so a request costs a stat and a write.

import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import type { Context, Middleware } from 'koa';

const BUILT = new URL('../../.cache/widget/', import.meta.url);
const APP = new URL('../../widget/app/', import.meta.url);

/** The app page only talks to this server; user text never becomes markup, and this is the second fence. */
const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  path: string;
  type: string;
  headers: Record<string, string>;
  /** Not built yet: what to tell the caller. */
  missing: string;
}

interface Loaded {
  mtimeMs: number;
  size: number;
  etag: string;
  identity: Buffer;
  gzip: Buffer;
  br: Buffer;
}

const SCRIPT_HEADERS = {
  'Cache-Control': 'public, max-age=300',
  'X-Content-Type-Options': 'nosniff',
};

const ASSETS: Record<string, Asset> = {
  '/widget.js': {
    path: fileURLToPath(new URL('widget.js', BUILT)),
    type: 'text/javascript; charset=utf-8',
    // Any site may load the widget; what it may do is decided by the token it carries.
    headers: { ...SCRIPT_HEADERS, 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' },
    missing: 'The widget bundle is not built: run `npm run build:widget`.',
  },
  '/app.js': {
    path: fileURLToPath(new URL('app.js', BUILT)),
    type: 'text/javascript; charset=utf-8',
    headers: SCRIPT_HEADERS,
    missing: 'The app bundle is not built: run `npm run build:widget`.',
  },
  '/': {
    path: fileURLToPath(new URL('index.html', APP)),
    type: 'text/html; charset=utf-8',
    headers: {
      'Cache-Control': 'no-cache',
      'Content-Security-Policy': APP_CSP,
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
    },
    missing: 'The app page is missing.',
  },
  '/favicon.svg': {
    path: fileURLToPath(new URL('favicon.svg', APP)),
    type: 'image/svg+xml',
    headers: { 'Cache-Control': 'public, max-age=86400', 'X-Content-Type-Options': 'nosniff' },
    missing: 'The icon is missing.',
  },
};
ASSETS['/index.html'] = ASSETS['/']!;
// The pages one-time links open: the app reads the token from the query string.
for (const path of ['/invite', '/reset-password', '/verify-email', '/connect']) ASSETS[path] = ASSETS['/']!;

const cache = new Map<string, Loaded>();

function load(asset: Asset): Loaded | null {
  let stat;
  try {
    stat = statSync(asset.path);
  } catch {
    return null;
  }
  const cached = cache.get(asset.path);
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached;
  const identity = readFileSync(asset.path);
  const loaded: Loaded = {
    mtimeMs: stat.mtimeMs,
    size: stat.size,
    etag: `"${createHash('sha256').update(identity).digest('base64url').slice(0, 27)}"`,
    identity,
    gzip: gzipSync(identity, { level: 9 }),
    br: brotliCompressSync(identity, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: identity.length } }),
  };
  cache.set(asset.path, loaded);
  return loaded;
}

function matchesEtag(header: string, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

function send(ctx: Context, asset: Asset): void {
  const loaded = load(asset);
  if (!loaded) {
    ctx.status = 503;
    ctx.body = { error: { code: 'unavailable', message: asset.missing, details: [] } };
    return;
  }
  ctx.set(asset.headers);
  ctx.set('ETag', loaded.etag);
  ctx.vary('Accept-Encoding');
  // RFC 9110 If-None-Match (weak comparison). Not ctx.fresh: it ignores the header when the request says
  // Cache-Control: no-cache, which fetch() adds to every conditional request.
  if (matchesEtag(ctx.get('If-None-Match'), loaded.etag)) {
    ctx.status = 304;
    return;
  }
  ctx.status = 200;
  ctx.type = asset.type;
  const encoding = ctx.acceptsEncodings('br', 'gzip', 'identity');
  if (encoding === 'br' || encoding === 'gzip') {
    ctx.set('Content-Encoding', encoding);
    ctx.body = encoding === 'br' ? loaded.br : loaded.gzip;
  } else {
    ctx.body = loaded.identity;
  }
}

export function staticAssets(): Middleware {
  return async (ctx, next) => {
    const asset = ctx.method === 'GET' || ctx.method === 'HEAD' ? ASSETS[ctx.path] : undefined;
    if (!asset) return next();
    send(ctx, asset);
  };
}
