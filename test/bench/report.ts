// Rows of the result table: medians with min–max over the repetitions, the
// Taskwire/bare ratio, the target and a pass/miss mark; printed and as JSON.

import { isNoisy, summarize, type Summary } from './stats.js';

export interface Target {
  /** As printed, e.g. "≥ 0.5 × bare Koa". */
  text: string;
  kind: 'ratio-at-least' | 'ratio-at-most' | 'value-at-most';
  limit: number;
  /** When the target applies only to some runs (e.g. N = 5,000), why it does not apply to this row. */
  notApplicable?: string;
}

export interface Row {
  scenario: string;
  figure: string;
  unit: string;
  tw: number[];
  bare: number[] | null;
  bareName: string | null;
  target?: Target;
  /** Shown instead of numbers (e.g. "not built"). */
  text?: string;
  digits?: number;
}

export interface EvaluatedRow extends Row {
  twSummary: Summary | null;
  bareSummary: Summary | null;
  ratio: number | null;
  mark: 'pass' | 'MISS' | 'n/a' | '—';
}

export function evaluate(row: Row): EvaluatedRow {
  const twSummary = summarize(row.tw);
  const bareSummary = row.bare ? summarize(row.bare) : null;
  const ratio = twSummary && bareSummary && bareSummary.median !== 0 ? twSummary.median / bareSummary.median : null;
  let mark: EvaluatedRow['mark'] = '—';
  const target = row.target;
  if (target) {
    if (target.notApplicable || row.text !== undefined) mark = 'n/a';
    else if (target.kind === 'value-at-most') mark = twSummary ? (twSummary.median <= target.limit ? 'pass' : 'MISS') : 'n/a';
    else if (ratio === null) mark = 'n/a';
    else mark = (target.kind === 'ratio-at-least' ? ratio >= target.limit : ratio <= target.limit) ? 'pass' : 'MISS';
  }
  return { ...row, twSummary, bareSummary, ratio, mark };
}

function num(value: number, digits: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function cell(summary: Summary | null, row: Row): string {
  if (!summary) return '—';
  const digits = row.digits ?? (Math.abs(summary.median) >= 100 ? 0 : Math.abs(summary.median) >= 10 ? 1 : 2);
  const range = summary.values.length > 1 ? ` [${num(summary.min, digits)}–${num(summary.max, digits)}]` : '';
  return `${num(summary.median, digits)}${range}${isNoisy(summary) ? ' !' : ''}`;
}

export function formatTable(rows: EvaluatedRow[]): string {
  const header = ['scenario', 'figure', 'Taskwire median [min–max]', 'bare median [min–max]', 'ratio', 'target', 'mark'];
  const lines = rows.map((row) => [
    row.scenario,
    `${row.figure} (${row.unit})`,
    row.text ?? cell(row.twSummary, row),
    row.bareName ? `${cell(row.bareSummary, row)} ${row.bareName}` : '—',
    row.ratio === null ? '—' : `${row.ratio >= 0.1 ? row.ratio.toFixed(2) : row.ratio.toPrecision(2)}×`,
    row.target ? `${row.target.text}${row.target.notApplicable ? ` (${row.target.notApplicable})` : ''}` : '—',
    row.mark,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const render = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ').trimEnd();
  return [render(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...lines.map(render)].join('\n');
}
