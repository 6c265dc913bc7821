// Opaque list cursors shared by both stores: the sort key of the last item
// handed out, base64url-encoded so clients treat it as a token.

import { InvalidCursorError } from './errors.js';

export type CursorKey = readonly (string | number)[];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** Decodes a cursor whose key has the given element types, or throws InvalidCursorError. */
export function decodeCursor(cursor: string, shape: readonly ('string' | 'number')[]): (string | number)[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(parsed) || parsed.length !== shape.length) throw new InvalidCursorError();
  shape.forEach((type, i) => {
    if (typeof parsed[i] !== type) throw new InvalidCursorError();
  });
  return parsed as (string | number)[];
}
