// <taskwire-insights>: the project's Insights tab, for every reader of the
// project. One request (GET /api/projects/:id/analytics, docs/API.md
// "Analytics") for a range of days in the browser's time zone, picked from
// presets or two dates (./insights-range.ts); the answer shows as headline
// figures, four charts (./insights-charts.ts, Chart.js) each with its table
// (./insights-tables.ts), the members' table, and a CSV file of each table
// (./insights-csv.ts). Chart colours come from the --insights-* properties
// below, dark ones with the shared theme's dark (prefers-color-scheme): the
// charts are drawn again when it changes. Every name is a Lit text binding. A
// chunk of the app page loaded the first time the tab opens (see app.ts): it
// carries Chart.js.

import { RestClient, LitElement, css, html, nothing } from '../src/index.js';
import type { ProjectView } from '../src/index.js';
import type { Chart } from 'chart.js';
import type { AnalyticsView } from '../../core/presenters/analytics.js';
import { enc, messageOf, states } from './common.js';
import { CHARTS, draw, readPalette, type ChartId } from './insights-charts.js';
import { csvUrl } from './insights-csv.js';
import { DEFAULT_PRESET, browserTimeZone, presetRange, renderRangePicker, type DayRange } from './insights-range.js';
import { chatTable, cycleTable, flowTable, membersTable, renderTable, throughputTable, type ColumnNames, type DataTable, type TableId } from './insights-tables.js';
import { screenStyles } from './styles.js';

/** 0.6667 → "66.67%"; none → "—". */
const percent = (share: number | null): string => (share === null ? '—' : `${Math.round(share * 10_000) / 100}%`);

/** A file name from a project's name: what a file system takes anywhere. */
const slug = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'project';

export class TaskwireInsights extends LitElement {
  static override properties = {
    server: {},
    token: {},
    project: { attribute: false },
    ...states('range view loading error tables'),
  };

  static override styles = [
    ...screenStyles,
    css`
      :host {
        --insights-text: var(--_muted);
        --insights-grid: var(--_border);
        --insights-created: #6172f3;
        --insights-completed: #12b76a;
        --insights-cycle: #7a5af8;
        --insights-lead: #f79009;
        --insights-messages: var(--_accent);
        --insights-series-1: #6172f3;
        --insights-series-2: #f79009;
        --insights-series-3: #12b76a;
        --insights-series-4: #ee46bc;
        --insights-series-5: #0ba5ec;
        --insights-series-6: #875bf7;
        display: flex;
        flex-direction: column;
        gap: 16px;
      }
      /* The page's colours are the shared theme's (../src/styles.ts); the charts' own follow it into the dark. */
      @media (prefers-color-scheme: dark) {
        :host(:not([theme='light'])) {
          --insights-created: #8d95ff;
          --insights-completed: #3ccb7f;
          --insights-cycle: #a48afb;
          --insights-lead: #fdb022;
          --insights-series-1: #8d95ff;
          --insights-series-2: #fdb022;
          --insights-series-3: #3ccb7f;
          --insights-series-4: #f670c7;
          --insights-series-5: #36bffa;
          --insights-series-6: #a48afb;
        }
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        align-items: flex-end;
        justify-content: space-between;
        gap: 12px;
      }
      .head h2,
      .head p {
        margin: 0;
      }
      .range,
      .presets,
      .days {
        display: flex;
        flex-wrap: wrap;
        align-items: flex-end;
        gap: 6px;
      }
      .range {
        gap: 6px 14px;
      }
      .preset[aria-pressed='true'] {
        background: var(--_accent);
        border-color: var(--_accent);
        color: var(--_accent-fg);
      }
      .days label {
        display: grid;
        font-size: 12px;
        color: var(--_muted);
      }
      .days input {
        width: auto;
        color: var(--_fg);
      }
      .tz {
        margin: 0;
        align-self: center;
      }
      .insights {
        display: flex;
        flex-direction: column;
        gap: 16px;
      }
      .busy {
        opacity: 0.6;
      }
      .figures {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(140px, 1fr));
        gap: 10px;
        margin: 0;
      }
      .figure {
        background: var(--_surface);
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: 10px 14px;
      }
      .figure dt {
        font-size: 12px;
        color: var(--_muted);
      }
      .figure dd {
        margin: 2px 0 0;
        font-size: 22px;
        font-weight: 700;
      }
      .figure.alert dd {
        color: var(--_danger);
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(420px, 1fr));
        gap: 16px;
      }
      .card-head {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 6px;
        margin-bottom: 4px;
      }
      .card-head h2 {
        margin: 0;
        flex: 1;
      }
      .chart-box {
        position: relative;
        height: 260px;
      }
      .table-box {
        max-height: 320px;
        overflow: auto;
      }
      .data .num {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      .data th[scope='row'] {
        text-align: left;
        font-size: inherit;
        font-weight: 550;
        color: var(--_fg);
        white-space: nowrap;
      }
      .data tbody tr:last-child th {
        border-bottom: 0;
      }
      .chat .figures {
        margin-bottom: 10px;
      }
      .error {
        margin: 0;
      }
    `,
  ];

  server = '';
  token = '';
  project: ProjectView | null = null;
  range: DayRange;
  /** The last answer, for `range`; null while the first one loads or after a refusal. */
  view: AnalyticsView | null = null;
  loading = false;
  error: string | null = null;
  /** The charts shown as their table instead. */
  tables: ReadonlySet<ChartId> = new Set();

  private readonly tz = browserTimeZone();
  private loaded: string | null = null;
  /** Answers to older requests (a range picked since) are dropped. */
  private asked = 0;
  private readonly charts = new Map<ChartId, Chart<'bar' | 'line'>>();
  private drawn: AnalyticsView | null = null;
  /** The CSV file of each table of `view`, as blob: URLs for the download links. */
  private files = new Map<TableId, string>();
  private readonly darkScheme = matchMedia('(prefers-color-scheme: dark)');
  private readonly onScheme = () => this.drawCharts();

  constructor() {
    super();
    this.range = presetRange(DEFAULT_PRESET, this.tz);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.darkScheme.addEventListener('change', this.onScheme);
    // Put back into a page: its charts and files were let go, so it reads the figures again.
    if (this.hasUpdated) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    this.darkScheme.removeEventListener('change', this.onScheme);
    this.destroyCharts();
    this.setFiles(null);
    this.loaded = null;
    super.disconnectedCallback();
  }

  private readonly names: ColumnNames = (status) => this.project?.columns.find((c) => c.key === status)?.name ?? status;

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    const id = this.project?.id ?? null;
    if (id !== this.loaded) {
      this.loaded = id;
      this.view = null;
      this.range = presetRange(DEFAULT_PRESET, this.tz);
      if (id) void this.load();
    }
    if (changed.has('view')) this.setFiles(this.view);
  }

  protected override updated(): void {
    if (this.view !== this.drawn) this.drawCharts();
  }

  private choose(range: DayRange): void {
    this.range = range;
    void this.load();
  }

  private async load(): Promise<void> {
    const id = this.loaded;
    if (!id) return;
    const ticket = ++this.asked;
    this.loading = true;
    this.error = null;
    const query = new URLSearchParams({ from: this.range.from, to: this.range.to, tz: this.tz });
    try {
      const view = await new RestClient({ server: this.server, token: this.token, userToken: null }).request<AnalyticsView>('GET', `/api/projects/${enc(id)}/analytics?${query}`);
      if (ticket !== this.asked) return;
      this.view = view;
      this.range = { from: view.range.from, to: view.range.to };
    } catch (error) {
      if (ticket !== this.asked) return;
      // Figures of another range next to these dates would be read as theirs.
      this.view = null;
      this.error = `Insights could not be loaded: ${messageOf(error)}`;
    } finally {
      if (ticket === this.asked) this.loading = false;
    }
  }

  private tablesOf(view: AnalyticsView): Record<TableId, DataTable> {
    return { throughput: throughputTable(view), flow: flowTable(view, this.names), cycle: cycleTable(view), members: membersTable(view), chat: chatTable(view) };
  }

  /** Replaces the CSV files with those of `view`'s tables (none for null), letting the old ones go. */
  private setFiles(view: AnalyticsView | null): void {
    for (const url of this.files.values()) URL.revokeObjectURL(url);
    this.files = new Map(view ? Object.values(this.tablesOf(view)).map((t) => [t.id, csvUrl(t)]) : []);
  }

  private destroyCharts(): void {
    for (const chart of this.charts.values()) chart.destroy();
    this.charts.clear();
    this.drawn = null;
  }

  /** Every chart of `view`, in the colours the element has now. */
  private drawCharts(): void {
    this.destroyCharts();
    const view = this.view;
    if (!view) return;
    const palette = readPalette(this);
    for (const canvas of this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas[data-chart]')) {
      const id = canvas.dataset.chart as ChartId;
      this.charts.set(id, draw(canvas, id, view, palette, this.names));
    }
    this.drawn = view;
  }

  private toggle(id: ChartId): void {
    const tables = new Set(this.tables);
    if (!tables.delete(id)) tables.add(id);
    this.tables = tables;
  }

  override render() {
    if (!this.project) return nothing;
    const view = this.view;
    return html`<header class="panel head">
        <div>
          <h2>Insights</h2>
          <p class="hint">${view ? `From ${view.range.from} to ${view.range.to}.` : ''}</p>
        </div>
        ${renderRangePicker(this.range, this.tz, (range) => this.choose(range))}
      </header>
      <span class="sr-only" role="status">${this.loading ? 'Loading insights…' : view ? `Insights from ${view.range.from} to ${view.range.to}.` : ''}</span>
      ${this.error
        ? html`<p class="error" role="alert">${this.error} <button class="btn retry" @click=${() => this.load()}>Try again</button></p>`
        : nothing}
      ${view ? this.renderView(view) : this.loading ? html`<div class="loading">Loading insights…</div>` : nothing}`;
  }

  private renderView(view: AnalyticsView) {
    const tables = this.tablesOf(view);
    const reply = view.chat.medianFirstReplyMinutes;
    return html`<div class="insights ${this.loading ? 'busy' : ''}" aria-busy=${this.loading ? 'true' : 'false'}>
      <dl class="figures now" aria-label="The board now">
        ${view.wip.map((w) => this.figure(`In ${this.names(w.status)}`, w.count, `wip-${w.status}`))}
        ${this.figure('Overdue', view.overdue, 'overdue', view.overdue > 0)}
        ${this.figure('Completion rate', percent(view.completionRate), 'completion-rate')}
      </dl>
      <div class="grid">
        ${this.card('throughput', 'Throughput', tables.throughput, 'Tasks created and completed each week (weeks start on Monday).')}
        ${this.card('flow', 'Cumulative flow', tables.flow, 'Tasks in each column at the end of each day.')}
        ${this.card('cycle', 'Cycle and lead time', tables.cycle, 'Hours from leaving the first column (cycle) or from creation (lead) to done, for the tasks completed in the range.')}
        ${this.card(
          'chat',
          'Chat',
          tables.chat,
          'Messages written each day in the rooms you can read.',
          html`<dl class="figures">
            ${this.figure('Tasks from chat', view.chat.tasksFromChat, 'tasks-from-chat')}
            ${this.figure('Median first reply', reply === null ? '—' : `${reply} min`, 'first-reply')}
          </dl>`,
        )}
      </div>
      <section class="panel members" aria-labelledby="members-title">
        <div class="card-head">
          <h2 id="members-title">Members</h2>
          ${this.download(tables.members, 'Members')}
        </div>
        <p class="hint">Open tasks assigned now, tasks completed in the range, open overdue tasks, and the median cycle time of their completed tasks.</p>
        <div class="table-box" tabindex="0" role="region" aria-label="Members table">${renderTable(tables.members)}</div>
      </section>
    </div>`;
  }

  private figure(label: string, value: string | number, key: string, alert = false) {
    return html`<div class="figure ${alert ? 'alert' : ''}" data-figure=${key}><dt>${label}</dt><dd>${value}</dd></div>`;
  }

  private download(table: DataTable, title: string) {
    const { from, to } = this.view!.range;
    return html`<a class="btn csv" href=${this.files.get(table.id) ?? ''} download="${slug(this.project!.name)}-${table.id}-${from}-${to}.csv"
      >Download CSV<span class="sr-only"> of ${title}</span></a
    >`;
  }

  /** A chart, or its table in its place, with the toggle and the table's CSV file. */
  private card(id: ChartId, title: string, table: DataTable, hint: string, extra: unknown = nothing) {
    const asTable = this.tables.has(id);
    return html`<section class="panel card ${id}" data-card=${id} aria-labelledby="${id}-title">
      <div class="card-head">
        <h2 id="${id}-title">${title}</h2>
        <button class="btn toggle" aria-controls="${id}-chart ${id}-table" @click=${() => this.toggle(id)}>
          ${asTable ? 'Show chart' : 'Show table'}<span class="sr-only"> of ${title}</span>
        </button>
        ${this.download(table, title)}
      </div>
      <p class="hint">${hint}</p>
      ${extra}
      <div class="chart-box" id="${id}-chart" ?hidden=${asTable}>
        <canvas data-chart=${id} role="img" aria-label=${CHARTS[id].summary(this.view!, this.names)}></canvas>
      </div>
      <div class="table-box" id="${id}-table" ?hidden=${!asTable} tabindex="0" role="region" aria-label="${title} table">${renderTable(table)}</div>
    </section>`;
  }
}
