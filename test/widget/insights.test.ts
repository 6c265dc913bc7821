// The Insights tab in a real Chromium against a real server: a project seeded
// through the HTTP API (tasks created, moved and completed, one overdue, chat
// messages and a `/task add` from the chat), then what its readers see: the
// tab (for a viewer too) and its chunk loaded on demand, charts drawn on
// canvases that screen readers get a sentence for, each chart's table with the
// numbers the API answers for the same URL, the range picker changing the
// request and the figures, the server's sentence for a refused range, CSV
// files (quoted, formulas defused), keyboard-only use with a visible focus, the
// dark colour scheme, names with markup as text, and Chart.js kept out of
// /widget.js and /app.js. The screenshots show a second project with eleven
// weeks of history, written through the same API with this process's clock
// moved back (the server runs in-process; the API cannot write the past).

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page, Response } from 'playwright-core';
import { registerUser, startApi, type ApiServer, type TestUser } from '../support/api.js';
import { collectErrors, screenshot, useBrowser, widgetBuild } from '../support/browser.js';
import { eventually } from '../support/eventually.js';

const VIEWPORT = { width: 1280, height: 900 };
const TZ = 'Europe/Paris';
/** A name a spreadsheet would run as a formula, with a comma and quotes for the CSV's quoting. */
const FORMULA_NAME = '=Bo "Builder", Jr';
const XSS = '<img src=x onerror="window.pwned=1">';
/** A message of Chart.js's core, in whatever bundle carries it. */
const CHART_JS_MARK = 'Canvas is already in use';

type Cell = string | number | null;
interface Analytics {
  range: { from: string; to: string; tz: string };
  throughput: { week: string; created: number; completed: number }[];
  cycleTime: { count: number; p50: number | null; p85: number | null; p95: number | null };
  leadTime: { count: number; p50: number | null; p85: number | null; p95: number | null };
  wip: { status: string; count: number }[];
  overdue: number;
  completionRate: number | null;
  cumulativeFlow: { day: string; counts: Record<string, number> }[];
  members: { userId: string; name: string; assigned: number; completed: number; overdue: number; cycleTimeP50: number | null }[];
  chat: { messagesPerDay: { day: string; count: number }[]; tasksFromChat: number; medianFirstReplyMinutes: number | null };
}

const shown = (cell: Cell): string => (cell === null ? '—' : String(cell));
const percent = (share: number | null): string => (share === null ? '—' : `${Math.round(share * 10_000) / 100}%`);

/** Each chart's table as the API's answer says it should read. */
function expectedTables(a: Analytics): Record<'throughput' | 'flow' | 'cycle' | 'chat' | 'members', Cell[][]> {
  const statuses = a.wip.map((w) => w.status);
  const percentiles = (label: string, p: Analytics['cycleTime']): Cell[] => [label, p.count, p.p50, p.p85, p.p95];
  return {
    throughput: a.throughput.map((w) => [w.week, w.created, w.completed]),
    flow: a.cumulativeFlow.map((d) => [d.day, ...statuses.map((s) => d.counts[s] ?? 0)]),
    cycle: [percentiles('Cycle time', a.cycleTime), percentiles('Lead time', a.leadTime)],
    chat: a.chat.messagesPerDay.map((d) => [d.day, d.count]),
    members: a.members.map((m) => [m.name, m.assigned, m.completed, m.overdue, m.cycleTimeP50]),
  };
}

// In-page code (no DOM types here; no named inner functions, which the test runner's transpiler would wrap
// in a helper the page does not have).
interface Paint {
  width: number;
  height: number;
  painted: number;
}
/** The canvas's backing size and how many of its pixels are painted. */
const canvasPaint = (canvas: any): Paint => {
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
  return { width: canvas.width, height: canvas.height, painted };
};
/** A fingerprint of the canvas's pixels, to tell a redraw in other colours. */
const canvasPrint = (canvas: any): number => {
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let hash = 0;
  for (let i = 0; i < data.length; i += 97) hash = (hash * 31 + data[i]) >>> 0;
  return hash;
};
interface Focused {
  tag: string;
  className: string;
  name: string | null;
  text: string;
  ring: boolean;
}
/** What has the focus, through the shadow roots, and whether it shows it. */
const focusedOf = (page: Page): Promise<Focused | null> =>
  page.evaluate(() => {
    const doc = (globalThis as any).document;
    let el = doc.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return null;
    const style = (globalThis as any).getComputedStyle(el);
    return { tag: el.tagName.toLowerCase(), className: String(el.className), name: el.getAttribute('name'), text: el.textContent.trim(), ring: style.boxShadow !== 'none' || style.outlineStyle !== 'none' };
  });
/** The relative luminance (0 black, 1 white) of an rgb() colour. */
const luminance = (rgb: string): number => {
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((c) => {
    const v = Number(c) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
};

const tab = (p: Page): Locator => p.locator('taskwire-app taskwire-insights');
const card = (p: Page, id: string): Locator => tab(p).locator(`section[data-card="${id}"]`);
const isAnalytics = (r: Response): boolean => r.url().includes('/analytics?') && r.request().method() === 'GET';

/** The rows of a table of the tab, as text. */
async function rowsOf(table: Locator): Promise<string[][]> {
  const rows = table.locator('tbody tr');
  const out: string[][] = [];
  for (let i = 0, n = await rows.count(); i < n; i++) out.push((await rows.nth(i).locator('th, td').allTextContents()).map((t) => t.trim()));
  return out;
}

async function move(user: TestUser, taskId: string, status: string): Promise<void> {
  const task = (await user.client.get(`/api/tasks/${taskId}`)).body;
  const moved = await user.client.post(`/api/tasks/${taskId}/move`, { status, version: task.version });
  expect(moved.status, JSON.stringify(moved.body)).to.equal(200);
}

/** Opens the chart's table (if it shows the chart) and reads it. */
async function tableOf(p: Page, id: string): Promise<string[][]> {
  const toggle = card(p, id).locator('button.toggle');
  if ((await toggle.textContent())!.includes('Show table')) await toggle.click();
  const table = card(p, id).locator(`table[data-table="${id}"]`);
  await table.waitFor();
  return rowsOf(table);
}

/** Clicks the CSV link of a table and reads the file it gives. */
async function download(p: Page, id: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([p.waitForEvent('download'), tab(p).locator(`section.${id} a.csv`).click()]);
  return { name: file.suggestedFilename(), text: readFileSync((await file.path())!, 'utf8') };
}

const readText = (path: string): string => readFileSync(path, 'utf8');

const DAY = 86_400_000;
const RealDate = Date;
let clockOffset = 0;
/** `Date` with this process's clock moved by `clockOffset`: the in-process server's `new Date()` and `Date.now()`. */
class ShiftedDate extends RealDate {
  constructor(...args: unknown[]) {
    if (args.length) super(...(args as [string]));
    else super(RealDate.now() + clockOffset);
  }

  static override now(): number {
    return RealDate.now() + clockOffset;
  }
}

/**
 * Runs `work` as if it were `when`: the server records what the API is asked then with that time. Only for
 * seeding a history (the API has no way to write the past); the clock is back whatever happens.
 */
async function asOf<T>(when: number, work: () => Promise<T>): Promise<T> {
  clockOffset = when - RealDate.now();
  globalThis.Date = ShiftedDate as DateConstructor;
  try {
    return await work();
  } finally {
    globalThis.Date = RealDate;
    clockOffset = 0;
  }
}

/**
 * Eleven weeks of a project's life for the screenshots: a few tasks a week, started a day later and done some
 * days after (the last fortnight's still open), and short conversations in #general.
 */
async function seedHistory(owner: TestUser, member: TestUser, projectId: string): Promise<void> {
  const roomId = (await owner.client.get(`/api/projects/${projectId}/rooms`)).body.items[0].id;
  const start = RealDate.now() - 77 * DAY;
  const events: { at: number; run: () => Promise<unknown> }[] = [];
  const ids: string[] = [];
  let n = 0;
  for (let week = 0; week < 11; week++) {
    for (let i = 0; i < 2 + (week % 3); i++) {
      const index = n++;
      const created = start + week * 7 * DAY + i * 1.3 * DAY + 9 * 3_600_000;
      const user = index % 2 ? member : owner;
      events.push({
        at: created,
        run: async () => ids.push((await user.client.post(`/api/projects/${projectId}/tasks`, { title: `Task ${index + 1}`, assigneeId: user.id })).body.id),
      });
      if (week > 9 && i > 0) continue;
      events.push({ at: created + (1 + (index % 2)) * DAY, run: () => move(user, ids[index]!, 'doing') });
      if (week < 9) events.push({ at: created + (2 + ((index * 3) % 6)) * DAY + 5 * 3_600_000, run: () => move(user, ids[index]!, 'done') });
    }
    for (let day = 0; day < 7; day += 2 + (week % 2)) {
      const said = start + (week * 7 + day) * DAY + 10 * 3_600_000;
      // Turns of a conversation, each answered a few minutes to half an hour later.
      for (let turn = 0, at = said; turn < 2 + ((week + day) % 4); turn++, at += (4 + ((week * 5 + day + turn) % 6) * 5) * 60_000) {
        const user = turn % 2 ? member : owner;
        events.push({ at, run: () => user.client.post(`/api/rooms/${roomId}/messages`, { text: turn % 2 ? 'On it.' : `Stand-up, week ${week + 1}` }) });
      }
    }
  }
  // From the chat; and one that is late.
  events.push({ at: start + 60 * DAY, run: () => owner.client.post(`/api/rooms/${roomId}/messages`, { text: '/task add Update the sitemap' }) });
  events.push({
    at: start + 70 * DAY,
    run: () => member.client.post(`/api/projects/${projectId}/tasks`, { title: 'Fix the 404 page', assigneeId: member.id, dueAt: new RealDate(RealDate.now() - 2 * DAY).toISOString() }),
  });
  for (const event of events.sort((a, b) => a.at - b.at)) await asOf(event.at, event.run);
}

describe('Insights tab in Chromium [sqlite]', function () {
  this.timeout(90_000);
  let api: ApiServer;
  let browser: Browser;
  let ada: TestUser;
  let bo: TestUser;
  let cy: TestUser;
  let projectId: string;
  /** A project with eleven weeks of history, for the screenshots. */
  let historyId: string;
  /** Ada's page on the tab, kept from test to test. */
  let page: Page;
  let errors: string[];
  /** The path (with its query) of the page's last analytics request. */
  let lastPath = '';
  const contexts: BrowserContext[] = [];

  async function openApp(user: TestUser, hash: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
    const context = await browser.newContext({ viewport: VIEWPORT, reducedMotion: 'reduce', timezoneId: TZ, colorScheme, acceptDownloads: true });
    contexts.push(context);
    await context.addInitScript((session) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('taskwire.session', session), user.token);
    const opened = await context.newPage();
    await opened.goto(`${api.url}/${hash}`);
    return opened;
  }

  /** Runs `act` and waits for the analytics answer it causes; returns what the page was sent. */
  async function analyticsAfter(p: Page, act: () => Promise<unknown>): Promise<{ path: string; status: number; body: Analytics }> {
    const [response] = await Promise.all([p.waitForResponse(isAnalytics), act()]);
    const url = new URL(response.url());
    lastPath = url.pathname + url.search;
    return { path: lastPath, status: response.status(), body: (await response.json()) as Analytics };
  }

  before(async function () {
    this.timeout(120_000);
    browser = await useBrowser(this);
    api = await startApi('sqlite', this);
    ada = await registerUser(api, 'Ada Admin');
    bo = await registerUser(api, 'Bo Builder');
    cy = await registerUser(api, 'Cy Viewer');
    expect((await bo.client.patch('/api/me', { name: FORMULA_NAME })).status).to.equal(200);
    expect((await cy.client.patch('/api/me', { name: XSS })).status).to.equal(200);
    projectId = (await ada.client.post('/api/projects', { name: 'Launch, "Q3"' })).body.id;
    for (const [user, role] of [
      [bo, 'member'],
      [cy, 'viewer'],
    ] as const) {
      expect((await ada.client.post(`/api/projects/${projectId}/members`, { email: user.email, role })).status).to.equal(201);
    }
    const create = async (title: string, extra: Record<string, unknown> = {}): Promise<string> => {
      const created = await ada.client.post(`/api/projects/${projectId}/tasks`, { title, ...extra });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      return created.body.id;
    };
    const brief = await create('Write the brief', { assigneeId: ada.id });
    const logo = await create('Draw the logo', { assigneeId: bo.id });
    const venue = await create('Book the venue', { assigneeId: bo.id });
    await create('Print the flyers', { assigneeId: bo.id, dueAt: new Date(Date.now() - 86_400_000).toISOString() });
    await create('Order coffee');
    await move(ada, brief, 'doing');
    await move(ada, brief, 'done');
    await move(bo, logo, 'done');
    await move(bo, venue, 'doing');
    const roomId = (await ada.client.get(`/api/projects/${projectId}/rooms`)).body.items[0].id;
    for (const [user, text] of [
      [ada, 'Morning all: the brief is done.'],
      [bo, 'Morning! Logo is up.'],
      [ada, '/task add Send the invites'],
    ] as const) {
      expect((await user.client.post(`/api/rooms/${roomId}/messages`, { text })).status).to.equal(201);
    }
    historyId = (await ada.client.post('/api/projects', { name: 'Website relaunch' })).body.id;
    expect((await ada.client.post(`/api/projects/${historyId}/members`, { email: bo.email, role: 'member' })).status).to.equal(201);
    await seedHistory(ada, bo, historyId);
  });

  after(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    await api?.stop();
  });

  it('shows the tab to every reader, loads it on demand and draws each chart with a sentence for screen readers', async () => {
    // A viewer has the tab too.
    const viewer = await openApp(cy, `#/projects/${projectId}/board`);
    await viewer.locator('taskwire-app .tab', { hasText: 'Insights' }).waitFor();
    expect(await viewer.locator('taskwire-app .tab').allTextContents()).to.deep.equal(['Board', 'Chat', 'Insights', 'Members', 'Embed']);
    const seen = await analyticsAfter(viewer, () => viewer.locator('taskwire-app .tab', { hasText: 'Insights' }).click());
    expect(seen.status, JSON.stringify(seen.body)).to.equal(200);
    await tab(viewer).locator('canvas[data-chart="throughput"]').waitFor();

    page = await openApp(ada, `#/projects/${projectId}/board`);
    errors = collectErrors(page);
    const chunks: string[] = [];
    page.on('request', (r) => r.url().includes('/app-chunks/') && chunks.push(new URL(r.url()).pathname));
    const { path, status, body } = await analyticsAfter(page, () => page.locator('taskwire-app .tab', { hasText: 'Insights' }).click());
    expect(status, JSON.stringify(body)).to.equal(200);
    expect(chunks.some((c) => /\/insights-[A-Z0-9]+\.js$/.test(c)), chunks.join()).to.equal(true);

    // Twelve weeks to today in the browser's zone, the zone sent along.
    const query = new URL(path, api.url).searchParams;
    expect(query.get('tz')).to.equal(TZ);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date());
    expect(query.get('to')).to.equal(today);
    expect(Math.round((Date.parse(query.get('to')!) - Date.parse(query.get('from')!)) / 86_400_000)).to.equal(83);
    expect(await tab(page).locator('button.preset[aria-pressed="true"]').textContent()).to.include('12 weeks');

    // The numbers are the seeded ones.
    expect(body.wip).to.deep.equal([
      { status: 'todo', count: 3 },
      { status: 'doing', count: 1 },
      { status: 'done', count: 2 },
    ]);
    expect(body.overdue).to.equal(1);
    expect(body.chat.tasksFromChat).to.equal(1);

    for (const id of ['throughput', 'flow', 'cycle', 'chat']) {
      const canvas = tab(page).locator(`canvas[data-chart="${id}"]`);
      await canvas.waitFor();
      expect(await canvas.getAttribute('role')).to.equal('img');
      const label = (await canvas.getAttribute('aria-label'))!;
      expect(label.length, id).to.be.above(40);
      await eventually(() => canvas.evaluate(canvasPaint), (c) => c.width > 100 && c.height > 100 && c.painted > 500, 5_000, `${id} is drawn`);
    }
    expect(await tab(page).locator('canvas[data-chart="throughput"]').getAttribute('aria-label')).to.include(`${body.throughput.reduce((n, w) => n + w.created, 0)} created`);
    expect(await tab(page).locator('canvas[data-chart="flow"]').getAttribute('aria-label')).to.include('To do 3, Doing 1, Done 2');

    // The headline figures.
    const figure = (key: string) => tab(page).locator(`[data-figure="${key}"] dd`);
    for (const w of body.wip) expect(await figure(`wip-${w.status}`).textContent(), w.status).to.equal(String(w.count));
    expect(await tab(page).locator('[data-figure="wip-doing"] dt').textContent()).to.equal('In Doing');
    expect(await figure('overdue').textContent()).to.equal('1');
    expect(await figure('completion-rate').textContent()).to.equal(percent(body.completionRate));
    expect(await figure('tasks-from-chat').textContent()).to.equal('1');
    const reply = body.chat.medianFirstReplyMinutes;
    expect(await figure('first-reply').textContent()).to.equal(reply === null ? '—' : `${reply} min`);
  });

  it('shows each chart as a table with the numbers the API answers for the same URL, and back', async () => {
    const answer = await ada.client.get<Analytics>(lastPath);
    expect(answer.status).to.equal(200);
    const expected = expectedTables(answer.body);
    for (const id of ['throughput', 'flow', 'cycle', 'chat'] as const) {
      expect(await tableOf(page, id), id).to.deep.equal(expected[id].map((row) => row.map(shown)));
      expect(await card(page, id).locator('.chart-box').isHidden(), `${id}: the table takes the chart's place`).to.equal(true);
    }
    expect(await card(page, 'flow').locator('thead th').allTextContents()).to.deep.equal(['Day', 'To do', 'Doing', 'Done']);
    expect(await rowsOf(tab(page).locator('table[data-table="members"]'))).to.deep.equal(expected.members.map((row) => row.map(shown)));
    expect(answer.body.members.map((m) => m.name)).to.include.members([FORMULA_NAME, XSS, 'Ada Admin']);

    const toggle = card(page, 'throughput').locator('button.toggle');
    expect(await toggle.textContent()).to.include('Show chart');
    await toggle.click();
    expect(await toggle.textContent()).to.include('Show table');
    await card(page, 'throughput').locator('.chart-box').waitFor();
    await eventually(() => card(page, 'throughput').locator('canvas').evaluate(canvasPaint), (c) => c.painted > 500, 5_000, 'drawn again when shown');
    for (const id of ['flow', 'cycle', 'chat']) await card(page, id).locator('button.toggle').click();
  });

  it('changes the request and the figures with the presets and with two dates', async () => {
    const fourWeeks = await analyticsAfter(page, () => tab(page).locator('button.preset', { hasText: 'Last 4 weeks' }).click());
    const q = new URL(fourWeeks.path, api.url).searchParams;
    expect(Math.round((Date.parse(q.get('to')!) - Date.parse(q.get('from')!)) / 86_400_000)).to.equal(27);
    expect(await tab(page).locator('button.preset[aria-pressed="true"]').textContent()).to.include('Last 4 weeks');
    expect(await tableOf(page, 'throughput')).to.have.length(fourWeeks.body.throughput.length);
    expect(fourWeeks.body.throughput.length).to.be.within(4, 5);
    expect(await tab(page).locator('input[name=from]').inputValue()).to.equal(q.get('from'));

    // A year: more weeks, the same tasks.
    const year = await analyticsAfter(page, () => tab(page).locator('button.preset', { hasText: '1 year' }).click());
    expect(year.body.throughput.length).to.be.within(52, 54);
    await eventually(() => tableOf(page, 'throughput'), (rows) => rows.length === year.body.throughput.length, 5_000, "the year's weeks");

    // Two weeks a year ago: nothing had happened yet.
    const to = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
    const from = new Date(Date.now() - 378 * 86_400_000).toISOString().slice(0, 10);
    await tab(page).locator('input[name=from]').fill(from);
    await tab(page).locator('input[name=to]').fill(to);
    const past = await analyticsAfter(page, () => tab(page).locator('button.apply').click());
    const pq = new URL(past.path, api.url).searchParams;
    expect([pq.get('from'), pq.get('to'), pq.get('tz')]).to.deep.equal([from, to, TZ]);
    expect(await tab(page).locator('button.preset[aria-pressed="true"]').count(), 'no preset is this range').to.equal(0);
    await tab(page).locator('.head .hint', { hasText: `From ${from} to ${to}.` }).waitFor();
    expect(past.body.completionRate).to.equal(null);
    expect(await tab(page).locator('[data-figure="completion-rate"] dd').textContent()).to.equal('—');
    expect(await tab(page).locator('[data-figure="tasks-from-chat"] dd').textContent()).to.equal('0');
    const rows = await tableOf(page, 'throughput');
    expect(rows.every(([, created, completed]) => created === '0' && completed === '0')).to.equal(true);
    expect(await card(page, 'cycle').locator('canvas').getAttribute('aria-label')).to.equal('No task was completed in this range, so there is no cycle or lead time to show.');
    await card(page, 'throughput').locator('button.toggle').click();
  });

  it('says why in a sentence when the server refuses the range, and recovers with the next one', async () => {
    await tab(page).locator('input[name=from]').fill('2024-06-10');
    await tab(page).locator('input[name=to]').fill('2024-06-01');
    const refused = await analyticsAfter(page, () => tab(page).locator('button.apply').click());
    expect(refused.status).to.equal(400);
    const alert = tab(page).locator('.error[role=alert]');
    await alert.waitFor();
    expect(await alert.textContent()).to.match(/^Insights could not be loaded: \S.*(from|to)/);
    expect(await tab(page).locator('canvas').count(), 'no figures of another range next to these dates').to.equal(0);

    const back = await analyticsAfter(page, () => tab(page).locator('button.preset', { hasText: '12 weeks' }).click());
    expect(back.status).to.equal(200);
    await alert.waitFor({ state: 'detached' });
    await tab(page).locator('canvas[data-chart="throughput"]').waitFor();
  });

  it('downloads each table as a CSV file: quoted names, formulas defused, the same rows', async () => {
    const answer = (await ada.client.get<Analytics>(lastPath)).body;
    const members = await download(page, 'members');
    expect(members.name).to.equal(`launch-q3-members-${answer.range.from}-${answer.range.to}.csv`);
    const lines = members.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).to.equal('Name,Assigned (open),Completed,Overdue,Cycle time p50 (hours)');
    expect(lines.at(-1), 'ends with a line break').to.equal('');
    const boRow = answer.members.find((m) => m.name === FORMULA_NAME)!;
    expect(lines).to.include(`"'=Bo ""Builder"", Jr",${boRow.assigned},${boRow.completed},${boRow.overdue},${boRow.cycleTimeP50 ?? ''}`);
    expect(lines).to.include(`"${XSS.replaceAll('"', '""')}",0,0,0,`);
    expect(lines).to.have.length(answer.members.length + 2);

    const throughput = await download(page, 'throughput');
    expect(throughput.text.replace(/^\uFEFF/, '')).to.equal(['Week of,Created,Completed', ...answer.throughput.map((w) => `${w.week},${w.created},${w.completed}`), ''].join('\r\n'));
    const flow = await download(page, 'flow');
    expect(flow.text.split('\r\n')[0]!.replace(/^\uFEFF/, '')).to.equal('Day,To do,Doing,Done');
    expect(flow.text.split('\r\n').at(-2)).to.equal(`${answer.cumulativeFlow.at(-1)!.day},3,1,2`);
  });

  it('is usable from the keyboard alone, with a visible focus on each control', async () => {
    await page.locator('taskwire-app .tab', { hasText: 'Insights' }).focus();
    const reached: Focused[] = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const focused = await focusedOf(page);
      if (focused) reached.push(focused);
      if (focused?.className.includes('toggle')) break;
    }
    const has = (test: (f: Focused) => boolean, what: string) => {
      const found = reached.find(test);
      expect(found, `${what} is reached: ${JSON.stringify(reached.map((r) => r.text || r.name))}`).to.not.equal(undefined);
      expect(found!.ring, `${what} shows its focus`).to.equal(true);
    };
    has((f) => f.className.includes('preset') && f.text.includes('Last 4 weeks'), 'the first preset');
    has((f) => f.className.includes('preset') && f.text.includes('1 year'), 'the last preset');
    has((f) => f.name === 'from', 'the first day');
    has((f) => f.name === 'to', 'the last day');
    has((f) => f.className.includes('apply'), 'Show');
    has((f) => f.className.includes('toggle'), 'the first chart\'s toggle');

    // The toggle works from the keyboard; so does a preset.
    await page.keyboard.press('Enter');
    await card(page, 'throughput').locator('table[data-table="throughput"]').waitFor();
    await page.keyboard.press('Space');
    await card(page, 'throughput').locator('.chart-box').waitFor();
    // Back to the last preset (a date input takes a Tab per part).
    let focused: Focused | null = null;
    for (let i = 0; i < 15 && !focused?.className.includes('preset'); i++) {
      await page.keyboard.press('Shift+Tab');
      focused = await focusedOf(page);
    }
    expect(focused?.text).to.include('1 year');
    const again = await analyticsAfter(page, () => page.keyboard.press('Enter'));
    expect(again.status).to.equal(200);
    await analyticsAfter(page, () => tab(page).locator('button.preset', { hasText: '12 weeks' }).click());
  });

  it('follows the dark colour scheme: a dark background, the charts drawn again in its colours; screenshots of both', async () => {
    // Eleven weeks of history, and room for the whole tab.
    const tall = { width: 1280, height: 2300 };
    const history = await openApp(ada, `#/projects/${historyId}/insights`);
    await history.setViewportSize(tall);
    const flow = tab(history).locator('canvas[data-chart="flow"]');
    await flow.waitFor();
    await eventually(() => flow.evaluate(canvasPaint), (c) => c.painted > 5_000, 5_000, 'drawn');
    const answer = (await ada.client.get<Analytics>(`/api/projects/${historyId}/analytics?tz=${encodeURIComponent(TZ)}`)).body;
    expect(answer.throughput.filter((w) => w.completed > 0).length, 'a history to show').to.be.above(5);
    expect(answer.cycleTime.count).to.be.above(10);
    const background = () => tab(history).evaluate((el) => (globalThis as any).getComputedStyle(el).backgroundColor as string);
    expect(luminance(await background())).to.be.above(0.8);
    await screenshot(history, 'insights-light', { locator: 'taskwire-app taskwire-insights' });
    const light = await flow.evaluate(canvasPrint);

    await history.emulateMedia({ colorScheme: 'dark' });
    expect(luminance(await background())).to.be.below(0.05);
    await eventually(() => flow.evaluate(canvasPrint), (print) => print !== light, 5_000, 'the chart is drawn again');
    const panel = await card(history, 'flow').evaluate((el) => {
      const style = (globalThis as any).getComputedStyle(el);
      return { backgroundColor: style.backgroundColor as string, color: style.color as string };
    });
    expect(luminance(panel.backgroundColor), 'the panels are dark').to.be.below(0.05);
    expect(luminance(panel.color), 'their text light').to.be.above(0.6);
    await screenshot(history, 'insights-dark', { locator: 'taskwire-app taskwire-insights' });

    // A page opened in the dark draws in the dark palette from the start: the same pixels.
    const darkPrint = await flow.evaluate(canvasPrint);
    const dark = await openApp(ada, `#/projects/${historyId}/insights`, 'dark');
    await dark.setViewportSize(tall);
    const darkFlow = tab(dark).locator('canvas[data-chart="flow"]');
    await darkFlow.waitFor();
    await eventually(() => darkFlow.evaluate(canvasPrint), (print) => print === darkPrint, 5_000, 'drawn dark');
  });

  it('shows markup in a name as text', async () => {
    const members = tab(page).locator('table[data-table="members"]');
    expect(await members.locator('th[scope=row]', { hasText: XSS }).count()).to.equal(1);
    expect(await tab(page).locator('img').count()).to.equal(0);
    expect(await page.evaluate(() => (globalThis as { pwned?: unknown }).pwned)).to.equal(undefined);
    expect(errors.filter((e) => !/status of 400/.test(e))).to.deep.equal([]);
  });

  it('keeps Chart.js out of /widget.js and /app.js: it comes with the tab\'s chunk only', async () => {
    const build = await widgetBuild();
    const file = (name: RegExp) => build.sizes.find((s) => name.test(s.file.split('/').pop()!))!.file;
    expect(readText(file(/^widget\.js$/)), 'widget.js').to.not.include(CHART_JS_MARK);
    expect(readText(file(/^app\.js$/)), 'app.js').to.not.include(CHART_JS_MARK);
    const insights = build.sizes.find((s) => /\/insights-[A-Z0-9]+\.js$/.test(s.file))!;
    expect(readText(insights.file)).to.include(CHART_JS_MARK);
    // Served as is, too.
    expect(await (await fetch(`${api.url}/widget.js`)).text()).to.equal(readText(join(build.outDir, 'widget.js')));
    expect(await (await fetch(`${api.url}/widget.js`)).text()).to.not.include(CHART_JS_MARK);
  });
});
