// The Insights tab's figures as tables: the view of each chart that a screen
// reader, a keyboard or a spreadsheet can use, and what its CSV file holds.
// Cells keep the API's numbers as they are (hours, counts); only a missing one
// reads "—" on screen (an empty cell in the file).

import { html, nothing } from '../src/index.js';
import type { AnalyticsView } from '../../core/presenters/analytics.js';
import type { Cell, CsvTable } from './insights-csv.js';

/** Nearest-rank percentiles of a duration in hours (null ones with `count: 0`). */
export type Percentiles = AnalyticsView['cycleTime'];

export type TableId = 'throughput' | 'flow' | 'cycle' | 'members' | 'chat';

export interface DataTable extends CsvTable {
  id: TableId;
  caption: string;
}

/** A column's name on the board, by its key (the key itself for a column renamed away since). */
export type ColumnNames = (status: string) => string;

/** The board's columns in order: the API lists every one in `wip`. */
export const statusesOf = (view: AnalyticsView): string[] => view.wip.map((w) => w.status);

export function throughputTable(view: AnalyticsView): DataTable {
  return {
    id: 'throughput',
    caption: 'Tasks created and completed per week',
    columns: ['Week of', 'Created', 'Completed'],
    rows: view.throughput.map((w) => [w.week, w.created, w.completed]),
  };
}

export function flowTable(view: AnalyticsView, names: ColumnNames): DataTable {
  const statuses = statusesOf(view);
  return {
    id: 'flow',
    caption: 'Tasks in each column at the end of each day',
    columns: ['Day', ...statuses.map(names)],
    rows: view.cumulativeFlow.map((d) => [d.day, ...statuses.map((s) => d.counts[s] ?? 0)]),
  };
}

const percentileRow = (label: string, p: Percentiles): Cell[] => [label, p.count, p.p50, p.p85, p.p95];

export function cycleTable(view: AnalyticsView): DataTable {
  return {
    id: 'cycle',
    caption: 'Cycle and lead time of the tasks completed in the range, in hours',
    columns: ['Measure', 'Tasks', 'p50 (hours)', 'p85 (hours)', 'p95 (hours)'],
    rows: [percentileRow('Cycle time', view.cycleTime), percentileRow('Lead time', view.leadTime)],
  };
}

export function membersTable(view: AnalyticsView): DataTable {
  return {
    id: 'members',
    caption: 'Tasks by member',
    columns: ['Name', 'Assigned (open)', 'Completed', 'Overdue', 'Cycle time p50 (hours)'],
    rows: view.members.map((m) => [m.name, m.assigned, m.completed, m.overdue, m.cycleTimeP50]),
  };
}

export function chatTable(view: AnalyticsView): DataTable {
  return {
    id: 'chat',
    caption: 'Chat messages per day',
    columns: ['Day', 'Messages'],
    rows: view.chat.messagesPerDay.map((d) => [d.day, d.count]),
  };
}

/** The first column names the row (a week, a day, a person): a row header. */
export function renderTable(table: DataTable) {
  return html`<table class="list data" data-table=${table.id}>
    <caption class="sr-only">${table.caption}</caption>
    <thead>
      <tr>${table.columns.map((c, i) => html`<th scope="col" class=${i ? 'num' : nothing}>${c}</th>`)}</tr>
    </thead>
    <tbody>
      ${table.rows.map(
        ([head, ...cells]) => html`<tr>
          <th scope="row">${head}</th>
          ${cells.map((c) => html`<td class="num">${c ?? '—'}</td>`)}
        </tr>`,
      )}
    </tbody>
  </table>`;
}
