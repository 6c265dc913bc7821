// Median, min, max and spread over repeated runs, and percentiles over samples.

/** A figure whose (max - min) / median is above this is flagged as noisy. */
export const NOISY_SPREAD = 0.15;

export interface Summary {
  median: number;
  min: number;
  max: number;
  /** (max - min) / median; 0 when the median is 0. */
  spread: number;
  values: number[];
}

const ascending = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = ascending(values);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile (p in 0..100) of the samples; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = ascending(values);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** Summary of the finite values, or null when there are none (a run that failed or was skipped). */
export function summarize(values: readonly (number | null | undefined)[]): Summary | null {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (finite.length === 0) return null;
  const med = median(finite);
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  return { median: med, min, max, spread: med === 0 ? 0 : (max - min) / Math.abs(med), values: finite };
}

export const isNoisy = (summary: Summary | null): boolean => summary !== null && summary.spread > NOISY_SPREAD;
