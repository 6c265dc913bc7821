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

/**
 * The shared browser, from a `before` hook. A missing Chromium makes the suite
 * pending on a developer's machine and fails it in CI (like services.ts).
 */
export async function useBrowser(ctx: Mocha.Context): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) serviceMissing(ctx, `${CHROMIUM_PATH} (apt-get install chromium)`, 'the widget suite');
  build ??= buildWidget({ quiet: true });
  await build;
  browser ??= chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: LAUNCH_ARGS });
  return browser;
}

/** The widget build of this run (sizes included). */
export function widgetBuild(): Promise<WidgetBuild> {
  build ??= buildWidget({ quiet: true });
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
