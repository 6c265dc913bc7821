// S12: the board in Chromium (playwright-core) on a 10,000-task project (a
// third in each column) beside the same figures for a 100-task one, same run,
// same server: time from the end of /widget.js's download to the first card
// painted, DOM elements (shadow roots included), JS heap after a GC, and the
// time a live change takes to show (the page itself PATCHes a card's title and
// watches for the new title; median of 15). The server runs in this process on
// a fresh SQLite directory; the tasks are written in bulk (lib/board-seed).
// Needs the built widget (.cache/widget) and /usr/bin/chromium.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { loadConfig } from '../../../core/config.js';
import { createLogger } from '../../../core/logger.js';
import { startServer } from '../../../core/server.js';
import { seedBoard } from '../lib/board-seed.js';
import { WIDGET_FILE } from '../lib/paths.js';
import { progress } from '../lib/progress.js';
import type { Row } from '../report.js';
import { percentile } from '../stats.js';

const CHROMIUM = '/usr/bin/chromium';
const CHANGES = 15;

interface BoardFigures {
  tasks: number;
  firstCardMs: number;
  domElements: number;
  heapBytes: number;
  liveChangeMs: number;
  liveChangeAllMs: number[];
}

export interface S12Result {
  rows: Row[];
  details: { boards: BoardFigures[]; reason?: string };
}

function rows(big: BoardFigures | null, small: BoardFigures | null, text?: string): Row[] {
  const row = (figure: string, unit: string, pick: (b: BoardFigures) => number, target?: Row['target'], digits = 0): Row => ({
    scenario: 'S12 big board',
    figure,
    unit,
    tw: big ? [pick(big)] : [],
    bare: small ? [pick(small)] : null,
    bareName: '100-task board',
    ...(target ? { target } : {}),
    digits,
    ...(text ? { text } : {}),
  });
  return [
    row('first card painted after /widget.js loaded, 10,000 tasks', 'ms', (b) => b.firstCardMs, { text: '≤ 1,000 ms', kind: 'value-at-most', limit: 1000 }),
    row('DOM elements (shadow roots included)', 'count', (b) => b.domElements, { text: '≤ 2,000', kind: 'value-at-most', limit: 2000 }),
    row('JS heap after GC', 'MB', (b) => b.heapBytes / 1e6, undefined, 1),
    row('live change shown (PATCH from the page → title in the DOM), median', 'ms', (b) => b.liveChangeMs, { text: '≤ 50 ms', kind: 'value-at-most', limit: 50 }, 1),
  ];
}

function hostPage(api: string, projectId: string, token: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8" /><title>S12</title><link rel="icon" href="data:," />
<script type="module" src="${api}/widget.js"></script></head>
<body style="margin:0"><taskwire-board project="${projectId}" token="${token}" style="height:760px;display:block"></taskwire-board></body></html>`;
}

export async function runS12(): Promise<S12Result> {
  if (!existsSync(WIDGET_FILE) || !existsSync(CHROMIUM)) {
    const reason = existsSync(CHROMIUM) ? `${WIDGET_FILE} does not exist (npm run build:widget)` : `${CHROMIUM} is missing`;
    return { rows: rows(null, null, 'not run'), details: { boards: [], reason } };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'tw-s12-'));
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', REGISTRATION: 'open' });
  const server = await startServer(config, createLogger('silent'), { passwords: { cost: 2 ** 10 } });
  const api = `http://127.0.0.1:${(server.http.address() as AddressInfo).port}`;
  const pages = new Map<string, string>();
  const host = createServer((req, res) => res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(pages.get(req.url ?? '') ?? ''));
  await new Promise<void>((done) => host.listen(0, '127.0.0.1', done));
  const hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--enable-precise-memory-info'] });
  try {
    const post = async (path: string, body: unknown, token?: string) => {
      const reply = await fetch(`${api}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
      if (!reply.ok) throw new Error(`POST ${path}: ${reply.status} ${await reply.text()}`);
      return reply.json() as Promise<Record<string, any>>;
    };
    const owner = await post('/api/auth/register', { email: 's12@bench.test', name: 'Bench Owner', password: 'correct horse battery' });
    const token: string = owner.token;
    const boards: BoardFigures[] = [];
    for (const tasks of [10_000, 100]) {
      const project = await post('/api/projects', { name: `S12 ${tasks}` }, token);
      const third = Math.floor(tasks / 3);
      const t0 = Date.now();
      const ids = await seedBoard(server.store, project.id, owner.user.id, { todo: tasks - 2 * third, doing: third, done: third });
      progress(`S12: ${tasks} tasks seeded in ${Date.now() - t0} ms`);
      const path = `/board-${tasks}`;
      pages.set(path, hostPage(api, project.id, token));
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      // Checked every frame from the start: the frame the first card is in is the one painted with it.
      // (Page code as text: this project's TypeScript has no DOM types outside widget/.)
      await page.addInitScript({
        content: `(() => { const check = (now) => { if (document.querySelector('taskwire-board')?.shadowRoot?.querySelector('.card[data-id]')) window.twFirstCard = now; else requestAnimationFrame(check); }; requestAnimationFrame(check); })();`,
      });
      await page.goto(`${hostUrl}${path}`);
      await page.locator('taskwire-board .card[data-id]').first().waitFor({ timeout: 30_000 });
      await page.waitForFunction('window.twFirstCard !== undefined');
      const firstCardMs: number = await page.evaluate(
        `window.twFirstCard - performance.getEntriesByType('resource').find((e) => e.name.endsWith('/widget.js')).responseEnd`,
      );
      await page.locator('taskwire-board [part~="status"][data-state="live"]').waitFor({ timeout: 30_000 });
      await page.waitForTimeout(500);
      const domElements: number = await page.evaluate(
        `(() => { let n = 0; const walk = (root) => { for (const el of root.querySelectorAll('*')) { n++; if (el.shadowRoot) walk(el.shadowRoot); } }; walk(document); return n; })()`,
      );
      const cdp = await context.newCDPSession(page);
      await cdp.send('HeapProfiler.collectGarbage');
      const heapBytes = (await cdp.send('Runtime.getHeapUsage')).usedSize;
      const taskId = ids.doing![0]!;
      const all: number[] = [];
      for (let i = 0; i < CHANGES; i++) {
        const version = ((await (await fetch(`${api}/api/tasks/${taskId}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { version: number }).version;
        const args = JSON.stringify({ url: `${api}/api/tasks/${taskId}`, token, title: `Live change ${tasks}-${i}`, version });
        all.push(
          await page.evaluate(`(async ({ url, token, title, version }) => {
            const board = document.querySelector('taskwire-board').shadowRoot;
            const t0 = performance.now();
            void fetch(url, { method: 'PATCH', headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' }, body: JSON.stringify({ title, version }) });
            return new Promise((resolve) => {
              const check = () => ([...board.querySelectorAll('.card-title')].some((el) => el.textContent === title) ? resolve(performance.now() - t0) : requestAnimationFrame(check));
              check();
            });
          })(${args})`),
        );
        await page.waitForTimeout(100);
      }
      const liveChangeMs = percentile(all, 50);
      boards.push({ tasks, firstCardMs: Math.round(firstCardMs), domElements, heapBytes, liveChangeMs, liveChangeAllMs: all.map((ms) => Number(ms.toFixed(1))) });
      progress(`S12: ${tasks} tasks: first card ${firstCardMs.toFixed(0)} ms, ${domElements} elements, heap ${(heapBytes / 1e6).toFixed(1)} MB, live change ${liveChangeMs.toFixed(1)} ms`);
      await context.close();
    }
    return { rows: rows(boards[0]!, boards[1]!), details: { boards } };
  } finally {
    await browser.close();
    host.close();
    await server.stop(1000);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
