// S9: gzip and brotli bytes of GET /widget.js as the server serves it. The
// widget is built elsewhere into .cache/widget/widget.js; when that file is
// missing or /widget.js answers 404, S9 says "not built" instead of failing.

import { existsSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { WIDGET_FILE } from '../lib/paths.js';
import type { Row } from '../report.js';

/** 40 KB, counted as 40,000 bytes (the stricter reading). */
export const WIDGET_GZIP_LIMIT = 40_000;

export interface S9Result {
  rows: Row[];
  details: { built: boolean; reason?: string; status?: number; contentType?: string | null; rawBytes?: number; gzipBytes?: number; brotliBytes?: number };
}

function rows(gzip: number | null, brotli: number | null, text?: string): Row[] {
  return [
    { scenario: 'S9 widget', figure: '/widget.js gzip -9', unit: 'bytes', tw: gzip === null ? [] : [gzip], bare: null, bareName: null, target: { text: '≤ 40 KB (40,000 B) gzip', kind: 'value-at-most', limit: WIDGET_GZIP_LIMIT }, digits: 0, ...(text ? { text } : {}) },
    { scenario: 'S9 widget', figure: '/widget.js brotli q11', unit: 'bytes', tw: brotli === null ? [] : [brotli], bare: null, bareName: null, digits: 0, ...(text ? { text } : {}) },
  ];
}

export async function runS9(url: string): Promise<S9Result> {
  if (!existsSync(WIDGET_FILE)) return { rows: rows(null, null, 'not built'), details: { built: false, reason: `${WIDGET_FILE} does not exist` } };
  const response = await fetch(`${url}/widget.js`, { signal: AbortSignal.timeout(10_000) });
  const body = Buffer.from(await response.arrayBuffer());
  const contentType = response.headers.get('content-type');
  if (response.status === 404) return { rows: rows(null, null, 'not built'), details: { built: false, reason: 'GET /widget.js answered 404', status: 404, contentType } };
  if (response.status !== 200) throw new Error(`GET /widget.js answered ${response.status}`);
  const gzipBytes = gzipSync(body, { level: 9 }).length;
  const brotliBytes = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }).length;
  return { rows: rows(gzipBytes, brotliBytes), details: { built: true, status: 200, contentType, rawBytes: body.length, gzipBytes, brotliBytes } };
}
