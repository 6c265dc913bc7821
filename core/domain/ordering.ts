// Fractional ordering keys for board columns, on top of fractional-indexing.
// A move computes one key between its new neighbours, so only the moved task is
// written. Keys compare byte-wise (both stores do, and so does JS `<` on these
// ASCII keys); equal keys are allowed and broken by task id, because two moves
// into the same gap at once can compute the same key without seeing each other.
// When no key fits (equal or crossed neighbours) or the key grows too long,
// the caller rewrites the whole column with evenKeys(): rare by construction.

import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';

/** Longer keys than this mean one gap was split over and over: time to rebalance the column. */
export const MAX_KEY_LENGTH = 64;

/**
 * A key strictly between `before` and `after` (null: the open end), or null when
 * none exists and the column needs a rebalance: the neighbours carry equal keys
 * (a tie from concurrent moves), crossed keys, or a key this library did not make.
 */
export function keyBetween(before: string | null, after: string | null): string | null {
  // The library silently swaps crossed bounds, which would place the task on the wrong side.
  if (before !== null && after !== null && before >= after) return null;
  try {
    return generateKeyBetween(before, after);
  } catch {
    return null;
  }
}

export function needsRebalance(key: string): boolean {
  return key.length > MAX_KEY_LENGTH;
}

/** `n` short, strictly increasing keys for a rebalanced column (a0, a1, ... then b00, ...). */
export function evenKeys(n: number): string[] {
  return generateNKeysBetween(null, null, n);
}

export interface Ordered {
  position: string;
  id: string;
}

/** Board order within a column: position, then id. */
export function compareOrdered(a: Ordered, b: Ordered): number {
  if (a.position !== b.position) return a.position < b.position ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
