// Percentiles by nearest rank, the definition people can check by hand: the
// p-th percentile of n sorted values is the value at rank ceil(p/100 × n), so
// the median of 4 values is the 2nd, and every answer is one of the values.

/** The p-th percentile (0 < p <= 100) of `sorted` (ascending), or null when there are no values. */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(Math.ceil((p / 100) * sorted.length), 1) - 1]!;
}

/** `value` rounded half up to `decimals` places; null stays null. */
export function rounded(value: number | null, decimals: number): number | null {
  if (value === null) return null;
  const scale = 10 ** decimals;
  // The epsilon keeps 1.005 (stored as 1.00499...) rounding up, as it reads.
  return Math.round((value + Number.EPSILON * Math.abs(value)) * scale) / scale;
}

export const ascending = (a: number, b: number): number => a - b;
