// The Insights tab's charts, drawn with Chart.js. Only the controllers,
// elements, scales and plugins registered here are bundled (into the tab's own
// chunk: nothing else imports this module). Colours are not written here: they
// are the --insights-* custom properties of the element, read when a chart is
// drawn, so the light and dark palettes (and any later theme) live in CSS.

import { BarController, BarElement, CategoryScale, Chart, Filler, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip } from 'chart.js';
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { AnalyticsView } from '../../core/presenters/analytics.js';
import { statusesOf, type ColumnNames, type Percentiles, type TableId } from './insights-tables.js';

Chart.register(BarController, BarElement, CategoryScale, Filler, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip);

export interface Palette {
  text: string;
  grid: string;
  font: string;
  created: string;
  completed: string;
  cycle: string;
  lead: string;
  messages: string;
  /** One per column, in board order (repeated past the last). */
  series: string[];
}

export type ChartId = Exclude<TableId, 'members'>;
type Config = ChartConfiguration<'bar' | 'line'>;

/** How one chart is drawn from the API's answer, and the sentence its canvas gives screen readers instead. */
interface ChartKind {
  config(view: AnalyticsView, p: Palette, names: ColumnNames): Config;
  summary(view: AnalyticsView, names: ColumnNames): string;
}

let probe: CanvasRenderingContext2D | null = null;

/**
 * `value` as the canvas reads colours (#rrggbb, or rgba() with transparency): whatever CSS colour syntax the
 * property was written in, the result can be given an alpha.
 */
function canvasColour(value: string, fallback: string): string {
  probe ??= document.createElement('canvas').getContext('2d');
  if (!probe || !value) return fallback;
  probe.fillStyle = fallback;
  probe.fillStyle = value;
  return String(probe.fillStyle);
}

function withAlpha(colour: string, alpha: number): string {
  const hex = /^#([\da-f]{2})([\da-f]{2})([\da-f]{2})$/i.exec(colour);
  return hex ? `rgba(${hex.slice(1).map((h) => parseInt(h, 16)).join(', ')}, ${alpha})` : colour;
}

/** The palette `host` has now: its custom properties resolve through the theme (and prefers-color-scheme). */
export function readPalette(host: Element): Palette {
  const style = getComputedStyle(host);
  const read = (name: string) => canvasColour(style.getPropertyValue(name).trim(), '#808080');
  const series: string[] = [];
  for (let i = 1; style.getPropertyValue(`--insights-series-${i}`).trim(); i++) series.push(read(`--insights-series-${i}`));
  return {
    text: read('--insights-text'),
    grid: read('--insights-grid'),
    font: style.fontFamily,
    created: read('--insights-created'),
    completed: read('--insights-completed'),
    cycle: read('--insights-cycle'),
    lead: read('--insights-lead'),
    messages: read('--insights-messages'),
    series: series.length ? series : ['#808080'],
  };
}

/** "Mar 3" (with the year when the range spans two): the axes' labels. Days are calendar days, so in UTC. */
function dayLabels(days: string[]): string[] {
  const years = new Set(days.map((d) => d.slice(0, 4)));
  const format = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', year: years.size > 1 ? '2-digit' : undefined, timeZone: 'UTC' });
  return days.map((d) => format.format(new Date(`${d}T00:00:00Z`)));
}

function options(p: Palette, { stacked = false, whole = true, unit = '' } = {}): Config['options'] {
  const axis = { ticks: { color: p.text }, grid: { color: p.grid }, border: { color: p.grid } };
  return {
    responsive: true,
    maintainAspectRatio: false,
    // Figures, not a show: they appear at once, and redraw at once on a theme change.
    animation: false,
    interaction: { mode: 'index', intersect: false },
    plugins: { legend: { labels: { color: p.text, boxWidth: 12, boxHeight: 12 } } },
    scales: {
      x: { ...axis, stacked, grid: { display: false }, ticks: { color: p.text, maxRotation: 0, autoSkipPadding: 12 } },
      y: { ...axis, stacked, beginAtZero: true, ticks: { color: p.text, precision: whole ? 0 : undefined }, title: { display: !!unit, text: unit, color: p.text } },
    },
  };
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The item of `items` with the most `value` (the first of equals), if any is above 0. */
function peak<T>(items: T[], value: (item: T) => number): T | undefined {
  return items.reduce<T | undefined>((best, item) => (value(item) > (best ? value(best) : 0) ? item : best), undefined);
}

const throughput: ChartKind = {
  config: (view, p) => ({
    type: 'bar',
    data: {
      labels: dayLabels(view.throughput.map((w) => w.week)),
      datasets: [
        { label: 'Created', data: view.throughput.map((w) => w.created), backgroundColor: p.created, borderRadius: 3 },
        { label: 'Completed', data: view.throughput.map((w) => w.completed), backgroundColor: p.completed, borderRadius: 3 },
      ],
    },
    options: options(p),
  }),
  summary(view) {
    const weeks = view.throughput;
    const best = peak(weeks, (w) => w.completed);
    return (
      `Bar chart of the tasks created and completed in each of ${plural(weeks.length, 'week')} from ${view.range.from} to ${view.range.to}: ` +
      `${sum(weeks.map((w) => w.created))} created and ${sum(weeks.map((w) => w.completed))} completed in all` +
      (best ? `; most completed in the week of ${best.week} (${best.completed}).` : '.')
    );
  },
};

const flow: ChartKind = {
  config(view, p, names) {
    const days = view.cumulativeFlow;
    const colour = (i: number) => p.series[i % p.series.length]!;
    // Done at the bottom, as a cumulative flow diagram is read: each column's band stacks on the one after it.
    const datasets: ChartDataset<'line'>[] = [];
    statusesOf(view).forEach((status, i) =>
      datasets.unshift({
        label: names(status),
        data: days.map((d) => d.counts[status] ?? 0),
        borderColor: colour(i),
        backgroundColor: withAlpha(colour(i), 0.45),
        borderWidth: 1.5,
        pointRadius: 0,
        fill: '-1',
      }),
    );
    if (datasets[0]) datasets[0].fill = 'origin';
    const base = options(p, { stacked: true });
    // The legend in board order again.
    const legend = { reverse: true, labels: { color: p.text, boxWidth: 12, boxHeight: 12 } };
    return { type: 'line', data: { labels: dayLabels(days.map((d) => d.day)), datasets }, options: { ...base, plugins: { ...base?.plugins, legend } } };
  },
  summary(view, names) {
    const last = view.cumulativeFlow.at(-1);
    return (
      `Stacked area chart of the tasks in each column at the end of each day from ${view.range.from} to ${view.range.to}` +
      (last ? `; on ${last.day}: ${statusesOf(view).map((s) => `${names(s)} ${last.counts[s] ?? 0}`).join(', ')}.` : '.')
    );
  },
};

const percentiles = (t: Percentiles) => [t.p50, t.p85, t.p95];
const saidOf = (name: string, t: Percentiles) => `${name} p50 ${t.p50} h, p85 ${t.p85} h, p95 ${t.p95} h`;
const cycle: ChartKind = {
  config: (view, p) => ({
    type: 'bar',
    data: {
      labels: ['p50', 'p85', 'p95'],
      datasets: [
        { label: 'Cycle time', data: percentiles(view.cycleTime), backgroundColor: p.cycle, borderRadius: 3 },
        { label: 'Lead time', data: percentiles(view.leadTime), backgroundColor: p.lead, borderRadius: 3 },
      ],
    },
    options: options(p, { whole: false, unit: 'hours' }),
  }),
  summary({ cycleTime, leadTime }) {
    return cycleTime.count
      ? `Bar chart of cycle and lead time percentiles, in hours, over ${plural(cycleTime.count, 'task')} completed in the range: ${saidOf('cycle time', cycleTime)}; ${saidOf('lead time', leadTime)}.`
      : 'No task was completed in this range, so there is no cycle or lead time to show.';
  },
};

const chat: ChartKind = {
  config: (view, p) => ({
    type: 'bar',
    data: {
      labels: dayLabels(view.chat.messagesPerDay.map((d) => d.day)),
      datasets: [{ label: 'Messages', data: view.chat.messagesPerDay.map((d) => d.count), backgroundColor: p.messages, borderRadius: 2 }],
    },
    options: options(p),
  }),
  summary(view) {
    const days = view.chat.messagesPerDay;
    const busiest = peak(days, (d) => d.count);
    return (
      `Bar chart of the chat messages written each day from ${view.range.from} to ${view.range.to}: ${plural(sum(days.map((d) => d.count)), 'message')} in all` +
      (busiest ? `; the most on ${busiest.day} (${busiest.count}).` : '.')
    );
  },
};

export const CHARTS: Record<ChartId, ChartKind> = { throughput, flow, cycle, chat };

/** Draws chart `id` of `view` on `canvas`, in place of whatever chart it held. */
export function draw(canvas: HTMLCanvasElement, id: ChartId, view: AnalyticsView, p: Palette, names: ColumnNames): Chart<'bar' | 'line'> {
  Chart.getChart(canvas)?.destroy();
  // Chart.js takes every text's font from its defaults; this chunk is its only user on the page.
  Chart.defaults.font.family = p.font;
  return new Chart(canvas, CHARTS[id].config(view, p, names));
}
