// Writes that the clients child should time carry this prefix in data.title.

export const MARK_PREFIX = 'bench-mark:';

export interface Mark {
  /** How many clients received it. */
  count: number;
  /** When the first and the last client received it (the clients child's clock). */
  first: number;
  last: number;
  /** Size of the first payload seen for this marker, as JSON. */
  bytes: number;
}

/** A marker title of fixed width (45 characters, as the fixture titles), so edits keep the JSON size. */
export const markTitle = (run: string, index: number): string =>
  `${MARK_PREFIX}${run.slice(0, 3).padEnd(3, '-')}${String(index).padStart(5, '0')} fan-out timing`.padEnd(45, '.');
