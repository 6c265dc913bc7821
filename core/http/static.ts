// The widget bundle (/widget.js) and what it loads on demand (/widget-chunks/<name>.js),
// the app page (/), its script (/app.js) and the chunks that script loads on
// demand (/app-chunks/<name>.js).
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
  /** Not built yet (or, for a chunk, not of this build): what to tell the caller. */
  missing: string;
  /** 503 (not built yet) unless said. */
  missingStatus?: 404 | 503;
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

/** Names the build gives (`[name]-[hash].js`) in the two chunk folders: nothing else, so a path never leaves them. */
const CHUNK = /^\/(app-chunks|widget-chunks)\/([\w-]+\.js)$/;

/** A chunk's name changes with its content, so a browser may keep it for good. */
function chunkAsset(folder: string, name: string): Asset {
  // widget.js fetches its chunks from whatever site embeds it, like itself.
  const crossOrigin: Record<string, string> = folder === 'widget-chunks' ? { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' } : {};
  return {
    path: fileURLToPath(new URL(`${folder}/${name}`, BUILT)),
    type: 'text/javascript; charset=utf-8',
    headers: { 'Cache-Control': 'public, max-age=31536000, immutable', 'X-Content-Type-Options': 'nosniff', ...crossOrigin },
    // Most likely asked for by a page opened before the last build: it needs a reload.
    missing: 'There is no such part of Taskwire\'s scripts (it may be from an older version): reload the page.',
    missingStatus: 404,
  };
}

const cache = new Map<string, Loaded>();

function load(asset: Asset): Loaded | null {
  let stat;
  try {
    stat = statSync(asset.path);
  } catch {
    // A chunk an earlier build left and a rebuild deleted: its bytes need not stay in memory.
    cache.delete(asset.path);
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
    ctx.status = asset.missingStatus ?? 503;
    ctx.body = { error: { code: ctx.status === 404 ? 'not_found' : 'unavailable', message: asset.missing, details: [] } };
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
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    const chunk = CHUNK.exec(ctx.path);
    const asset = chunk ? chunkAsset(chunk[1]!, chunk[2]!) : ASSETS[ctx.path];
    if (!asset) return next();
    send(ctx, asset);
  };
}
