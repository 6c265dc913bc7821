// Both stores answer AnalyticsRepo.tasksByStatusAt the same way: they sum a
// project's task moves per period and column (in: +1, out: -1), the first
// period being everything before the first instant, and this adds those
// changes up into the columns' sizes at each instant.

/** The change of one column's size in one period. */
export interface ColumnDelta {
  period: number;
  status: string;
  delta: number;
}

/** Period 0 is before instants[0]; period i (i >= 1) is [instants[i-1], instants[i]). */
export function flowBounds(instants: readonly string[]): string[] {
  // '' sorts before every ISO time, so the first period holds the whole past.
  return ['', ...instants];
}

/** The tasks in each column at each instant: the running sum of the changes, period by period. */
export function sizesAt(deltas: readonly ColumnDelta[], instants: number): Record<string, number>[] {
  const perPeriod = Array.from({ length: instants }, () => new Map<string, number>());
  for (const { period, status, delta } of deltas) {
    if (period < 0 || period >= instants) continue;
    perPeriod[period]!.set(status, (perPeriod[period]!.get(status) ?? 0) + delta);
  }
  const running = new Map<string, number>();
  return perPeriod.map((changes) => {
    for (const [status, n] of changes) running.set(status, (running.get(status) ?? 0) + n);
    return Object.fromEntries([...running].filter(([, n]) => n !== 0));
  });
}
