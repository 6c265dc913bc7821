// The Insights tab's tables as CSV files (RFC 4180). Names are people's own
// text and the files are opened in spreadsheets, so a cell that a spreadsheet
// would run as a formula is defused first (OWASP's CSV injection advice).

export type Cell = string | number | null;

export interface CsvTable {
  columns: readonly string[];
  rows: readonly (readonly Cell[])[];
}

/** Characters that make a spreadsheet read a cell as a formula when it starts with one. */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(cell: Cell): string {
  if (cell === null) return '';
  // Our own numbers are plain figures; only text can carry a formula.
  let text = typeof cell === 'number' ? String(cell) : FORMULA_START.test(cell) ? `'${cell}` : cell;
  if (/[",\r\n]/.test(text) || text !== text.trim()) text = `"${text.replaceAll('"', '""')}"`;
  return text;
}

export function toCsv(table: CsvTable): string {
  return [table.columns, ...table.rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/**
 * A `blob:` URL of the table as a CSV file, for a `download` link; the caller revokes it. It starts with a
 * byte order mark: without it, Excel reads UTF-8 names as Windows-1252.
 */
export const csvUrl = (table: CsvTable): string => URL.createObjectURL(new Blob(['\uFEFF', toCsv(table)], { type: 'text/csv;charset=utf-8' }));
