// Progress lines with the time since the bench started.

import { performance } from 'node:perf_hooks';

const started = performance.now();

export function progress(message: string): void {
  const seconds = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  console.log(`[${seconds}s] ${message}`);
}

export const fmt = (value: number, digits = 0): string => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Product first on odd repetitions, bare first on even ones. */
export const alternate = <T>(rep: number, bare: T[], product: T[]): T[] => (rep % 2 === 0 ? [...bare, ...product] : [...product, ...bare]);
