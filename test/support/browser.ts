// Chromium through playwright-core for the widget suites: launched once per
// test run (on first use) and closed by a root after-hook, the widget bundle
// built before the first page loads it, and a "host site" on a second origin
// that embeds the widget the way a customer's page would.

import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildWidget, type WidgetBuild } from '../../widget/build.js';
import { serviceMissing } from './services.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const SCREENSHOT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');

const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let browser: Promise<Browser> | null = null;
let build: Promise<WidgetBuild> | null = null;

/** Where the mocha process leaves the widget build it made before the tests (test/support/hooks.ts). */
export const WIDGET_BUILD_ENV = 'TASKWIRE_TEST_WIDGET_BUILD';

/** The build the mocha process made, else one of this process's own (a test file loaded without the hooks). */
function builtOnce(): Promise<WidgetBuild> {
  const handed = process.env[WIDGET_BUILD_ENV];
  return handed ? Promise.resolve(JSON.parse(handed) as WidgetBuild) : buildWidget({ quiet: true });
}

/**
 * The shared browser, from a `before` hook. A missing Chromium makes the suite
 * pending on a developer's machine and fails it in CI (like services.ts).
 */
export async function useBrowser(ctx: Mocha.Context): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) serviceMissing(ctx, `${CHROMIUM_PATH} (apt-get install chromium)`, 'the widget suite');
  build ??= builtOnce();
  await build;
  browser ??= chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: LAUNCH_ARGS });
  return browser;
}

/** The widget build of this run (sizes included). */
export function widgetBuild(): Promise<WidgetBuild> {
  build ??= builtOnce();
  return build;
}

export async function closeBrowser(): Promise<void> {
  const running = browser;
  browser = null;
  if (running) await (await running.catch(() => null))?.close();
}

/** A second origin: pages that embed the widget from the Taskwire server, served from another port. */
export interface HostSite {
  url: string;
  /** Serves `html` at a fresh path and returns its URL. */
  page(html: string): string;
  close(): Promise<void>;
}

export async function startHostSite(): Promise<HostSite> {
  const pages = new Map<string, string>();
  let counter = 0;
  const server: Server = createServer((req, res) => {
    const html = pages.get((req.url ?? '/').split('?')[0]!);
    if (html === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(html);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    page(html) {
      const path = `/page-${++counter}`;
      pages.set(path, html);
      return `${url}${path}`;
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** Uncaught page errors and console errors, for "loads without errors" assertions. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return errors;
}

export async function screenshot(page: Page, name: string, target?: { locator: string }): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  if (target) await page.locator(target.locator).screenshot({ path, animations: 'disabled' });
  else await page.screenshot({ path, animations: 'disabled' });
  return path;
}

/** What a fetch from inside `page` (its origin, its CORS rules) got back. */
export interface PageReply {
  status: number;
  body: any;
}

// The in-page code is source text: the test runner's transpiler would otherwise add helpers
// (esbuild's __name) that do not exist in the page.
const PAGE_FETCH = `async ({ url, method, headers, body }) => {
  const response = await fetch(url, { method, headers, body, credentials: 'omit' });
  const text = await response.text();
  let parsed = text;
  try { parsed = text ? JSON.parse(text) : null; } catch {}
  return { status: response.status, body: parsed };
}`;

const PAGE_SOCKET = `({ url, auth }) => new Promise((resolve) => {
  const ws = new WebSocket(url);
  let timer;
  const done = (outcome) => { clearTimeout(timer); ws.close(); resolve(outcome); };
  timer = setTimeout(() => done('timeout'), 5000);
  ws.addEventListener('error', () => done('transport error'));
  ws.addEventListener('message', (e) => {
    const packet = String(e.data);
    if (packet.startsWith('0')) ws.send('40' + JSON.stringify(auth));
    else if (packet.startsWith('40')) done('connected');
    else if (packet.startsWith('44')) done('refused: ' + (JSON.parse(packet.slice(2)).message ?? ''));
  });
})`;

/**
 * `fetch` run by the page itself, so the browser sets the Origin header: the way an embedded widget's
 * requests look to the server. `userToken` goes in X-Taskwire-User.
 */
export async function pageFetch(page: Page, url: string, options: { method?: string; token?: string; userToken?: string; body?: unknown } = {}): Promise<PageReply> {
  const headers: Record<string, string> = {};
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.userToken) headers['X-Taskwire-User'] = options.userToken;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const request = { url, method: options.method ?? 'GET', headers, body: options.body === undefined ? null : JSON.stringify(options.body) };
  return page.evaluate(`(${PAGE_FETCH})(${JSON.stringify(request)})`);
}

/**
 * A socket.io handshake from inside `page` over a bare WebSocket (the browser sets Origin itself):
 * engine.io's open packet, then socket.io's CONNECT with `auth`. Answers `connected`, or
 * `refused: <message>` for a CONNECT_ERROR.
 */
export async function pageSocketHandshake(page: Page, server: string, auth: Record<string, string>): Promise<string> {
  const request = { url: `${server.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, auth };
  return page.evaluate(`(${PAGE_SOCKET})(${JSON.stringify(request)})`);
}
