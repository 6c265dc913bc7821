// Opaque list cursors shared by both stores: the sort key of the last item
// handed out, one dot-separated segment per part of the key (a string as
// base64url of its UTF-8, a number in decimal). The shape is exact on purpose:
// every text with a list's cursor shape decodes to some key, so a well-formed
// cursor only ever names a place in the list (perhaps past its end), and the
// API document can state precisely which cursors a list takes.

import { InvalidCursorError } from './errors.js';

export type CursorKey = readonly (string | number)[];
export type CursorShape = readonly ('string' | 'number')[];

const STRING_SEGMENT = '[A-Za-z0-9_-]*';
const NUMBER_SEGMENT = '\\d{1,9}';

/** The regular expression (source) of every cursor of a list whose key has this shape. */
export function cursorPattern(shape: CursorShape): string {
  return `^${shape.map((type) => (type === 'number' ? NUMBER_SEGMENT : STRING_SEGMENT)).join('\\.')}$`;
}

/** Lists ordered by (createdAt, id), or (dueAt, id): most of them. */
export const BY_TIME_AND_ID: CursorShape = ['string', 'string'];
/** A board: (column index, position, id). */
export const BY_BOARD_ORDER: CursorShape = ['number', 'string', 'string'];

export function encodeCursor(key: CursorKey): string {
  return key.map((part) => (typeof part === 'number' ? String(part) : Buffer.from(part, 'utf8').toString('base64url'))).join('.');
}

/** Decodes a cursor whose key has the given element types, or throws InvalidCursorError. */
export function decodeCursor(cursor: string, shape: CursorShape): (string | number)[] {
  if (!new RegExp(cursorPattern(shape)).test(cursor)) throw new InvalidCursorError();
  const segments = cursor.split('.');
  return shape.map((type, i) => (type === 'number' ? Number(segments[i]) : Buffer.from(segments[i]!, 'base64url').toString('utf8')));
}
