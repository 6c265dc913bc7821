// Light and dark in a real Chromium: the widget's elements and the app page take
// their colours from one set of tokens (widget/src/styles.ts), light by default,
// dark under prefers-color-scheme: dark, `theme="light|dark|auto"` on the
// elements either way, the public --taskwire-* properties over both; the main
// text and controls meet WCAG AA contrast (measured from the colours Chromium
// resolved) and axe-core finds no serious or critical violation on the board,
// the task editor, the chat and every tab of the app page, in both themes. The
// README's screenshots of both themes, desktop and phone, come from here.

import { expect } from 'chai';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { axeViolations, contrastOf, describeFindings } from '../support/a11y.js';
import { Client, registerUser, startApi, type ApiServer, type TestUser } from '../support/api.js';
import { collectErrors, screenshot, startHostSite, useBrowser, type HostSite } from '../support/browser.js';

type Scheme = 'light' | 'dark';
const SCHEMES: Scheme[] = ['light', 'dark'];
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/** A contrast to measure: `min` is WCAG AA's for it (4.5 text, 3 large text and UI component boundaries). */
interface Check {
  name: string;
  selector: string;
  kind: 'text' | 'boundary' | 'fill';
  min: number;
}
const text = (name: string, selector: string, min = 4.5): Check => ({ name, selector, kind: 'text', min });
const boundary = (name: string, selector: string): Check => ({ name, selector, kind: 'boundary', min: 3 });

const BOARD_CHECKS = (root: string): Check[] => [
  text('card title', `${root} taskwire-board .card-title`),
  text('column header', `${root} taskwire-board .column-header h3`),
  text('column count', `${root} taskwire-board .count`),
  text('label', `${root} taskwire-board .label`),
  text('due date', `${root} taskwire-board .due:not(.overdue)`),
  text('overdue date', `${root} taskwire-board .due.overdue`),
  text('avatar initials', `${root} taskwire-board .card .avatar`),
  text('connection status', `${root} taskwire-board .status`),
  text('"+ Add task"', `${root} taskwire-board .add`),
  boundary('filter field', `${root} taskwire-board .filter`),
];
const CHAT_CHECKS = (root: string): Check[] => [
  text('message text', `${root} taskwire-chat .message .text`),
  text('author', `${root} taskwire-chat .author`),
  text('message time', `${root} taskwire-chat .byline time`),
  text('API badge', `${root} taskwire-chat .badge`),
  text('current room', `${root} taskwire-chat .room.current`),
  text('sidebar heading', `${root} taskwire-chat .sidebar h3`),
  text('person', `${root} taskwire-chat .person-name`),
  text('Send', `${root} taskwire-chat .composer .btn.primary`),
  boundary('composer field', `${root} taskwire-chat .composer textarea`),
  boundary('Send button', `${root} taskwire-chat .composer .btn.primary`),
];
const WIDGET_CHECKS: Check[] = [
  text('launcher', 'taskwire-widget .launcher'),
  text('selected tab', 'taskwire-widget .tab[aria-selected="true"]'),
  text('other tab', 'taskwire-widget .tab[aria-selected="false"]'),
  text('brand', 'taskwire-widget .brand'),
  text('close', 'taskwire-widget .close'),
];
const EDITOR_CHECKS: Check[] = [
  text('editor title', 'taskwire-board .editor h3'),
  text('field label', 'taskwire-board .editor label'),
  text('field text', 'taskwire-board .editor input[name="title"]'),
  text('Save', 'taskwire-board .editor .btn.primary'),
  text('Delete', 'taskwire-board .editor .btn.danger'),
  text('Cancel', 'taskwire-board .editor .btn:not(.primary):not(.danger)'),
  boundary('title field', 'taskwire-board .editor input[name="title"]'),
  boundary('status select', 'taskwire-board .editor select'),
  boundary('Cancel button', 'taskwire-board .editor .btn:not(.primary):not(.danger)'),
];
const APP_CHECKS: Check[] = [
  text('logo', 'taskwire-app .logo'),
  text('project heading', 'taskwire-app .project-header h1'),
  text('description', 'taskwire-app .description'),
  text('sidebar heading', 'taskwire-app .sidebar h2'),
  text('current project', 'taskwire-app .project.current'),
  text('other project', 'taskwire-app .project:not(.current)'),
  text('role', 'taskwire-app .project:not(.current) .role'),
  text('current tab', 'taskwire-app .tab[aria-current="page"]'),
  text('other tab', 'taskwire-app .tab[aria-current="false"]'),
  text('new project label', 'taskwire-app .new-project label'),
  boundary('new project field', 'taskwire-app .new-project input'),
];
const MEMBERS_CHECKS: Check[] = [
  text('table heading', 'taskwire-app .members th'),
  text('member email', 'taskwire-app .members .email'),
  text('"you"', 'taskwire-app .members .you'),
  text('invite state', 'taskwire-app .pill'),
  text('hint', 'taskwire-app .hint >> visible=true'),
  boundary('role select', 'taskwire-app .members select'),
  boundary('invite field', 'taskwire-app .invite input'),
];

/** What the luminance of an rgb() colour is (0 black, 1 white). */
const luminance = (rgb: string): number => {
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((c) => {
    const v = Number(c) / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
};
async function expectNoAxeViolations(page: Page, what: string): Promise<void> {
  const found = await axeViolations(page);
  expect(found, `${what}:\n${describeFindings(found)}`).to.deep.equal([]);
}

const backgroundOf = (target: Locator): Promise<string> => target.evaluate((el) => (globalThis as any).getComputedStyle(el).backgroundColor as string);

describe('Light and dark themes, contrast and axe in Chromium [sqlite]', function () {
  this.timeout(90_000);
  let api: ApiServer;
  let browser: Browser;
  let host: HostSite;
  let ada: TestUser;
  let bo: TestUser;
  let projectId: string;
  const contexts: BrowserContext[] = [];
  /** Every ratio measured, for the report printed at the end with THEME_REPORT=1. */
  const measured: string[] = [];

  /** A page of the host site that follows the system's scheme itself, with `body`, the widget script loaded. */
  async function hostPage(scheme: Scheme, body: string, style = ''): Promise<Page> {
    const context = await browser.newContext({ viewport: DESKTOP, reducedMotion: 'reduce', colorScheme: scheme });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(
      host.page(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8" /><title>Acme intranet</title><link rel="icon" href="data:," />
<meta name="color-scheme" content="light dark" />
<style>body { font-family: Georgia, serif; margin: 0; padding: 24px 32px; background: Canvas; color: CanvasText } ${style}</style>
<script type="module" src="${api.url}/widget.js"></script></head>
<body><main><h1>Acme intranet</h1>${body}</main></body>
</html>`),
    );
    return page;
  }

  /** The open widget on the host page, on `tab`, live. */
  async function widgetPage(scheme: Scheme, tab: 'board' | 'chat' = 'board', attributes = ''): Promise<Page> {
    const page = await hostPage(scheme, `<taskwire-widget project="${projectId}" token="${ada.token}" open tab="${tab}"${attributes}></taskwire-widget>`);
    await page.locator(`taskwire-widget taskwire-${tab} [part~="status"][data-state="live"]`).waitFor({ timeout: 10_000 });
    return page;
  }

  /** The app page signed in as `user` at `hash` (CSP bypassed: axe is injected as a script). */
  async function appPage(scheme: Scheme, hash: string, viewport = DESKTOP, user = ada): Promise<Page> {
    const context = await browser.newContext({ viewport, reducedMotion: 'reduce', colorScheme: scheme, bypassCSP: true });
    contexts.push(context);
    await context.addInitScript((session) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('taskwire.session', session), user.token);
    const page = await context.newPage();
    await page.goto(`${api.url}/${hash}`);
    await page.locator('taskwire-app .project-header h1').waitFor({ timeout: 10_000 });
    return page;
  }

  async function expectContrast(page: Page, scheme: Scheme, checks: Check[]): Promise<void> {
    const failures: string[] = [];
    for (const check of checks) {
      const target = page.locator(check.selector).first();
      await target.waitFor({ timeout: 5_000 });
      const c = await contrastOf(target, check.kind);
      measured.push(`${scheme.padEnd(5)} ${check.kind.padEnd(8)} ${c.ratio.toFixed(2).padStart(5)}  ${check.name} (${c.fg} on ${c.bg})`);
      if (c.ratio < check.min) failures.push(`${check.name}: ${c.ratio} < ${check.min} (${c.fg} on ${c.bg})`);
    }
    expect(failures, `${scheme}: contrast below WCAG AA`).to.deep.equal([]);
  }

  before(async function () {
    this.timeout(120_000);
    browser = await useBrowser(this);
    api = await startApi('sqlite', this);
    host = await startHostSite();
    ada = await registerUser(api, 'Ada Lovelace');
    bo = await registerUser(api, 'Bo Diddley');
    const project = (await ada.client.post('/api/projects', { name: 'Launch plan', description: 'Everything for the Q3 launch' })).body;
    projectId = project.id;
    await ada.client.post('/api/projects', { name: 'Hiring' });
    await ada.client.post(`/api/projects/${projectId}/members`, { email: bo.email, role: 'member' });
    // A pending invite (an address without an account), for the Members tab's state pill.
    await ada.client.post(`/api/projects/${projectId}/members`, { email: 'cy.twombly@example.test', role: 'viewer' });
    await ada.client.post(`/api/projects/${projectId}/embed-tokens`, { name: 'Intranet', origins: [host.url], role: 'member', identity: 'anonymous' });
    const seed: [string, Record<string, unknown>][] = [
      ['Write the press release', { labels: ['marketing'], assigneeId: bo.id, dueAt: '2099-03-14T17:00:00Z' }],
      ['Fix the login redirect', { labels: ['bug', 'urgent'], dueAt: '2021-01-04T17:00:00Z', assigneeId: ada.id }],
      ['Pick the launch date', {}],
      ['Design the landing page', { status: 'doing', labels: ['design'], assigneeId: ada.id }],
      ['Book the launch venue', { status: 'doing', assigneeId: bo.id, dueAt: '2099-06-01T09:00:00Z' }],
      ['Set up CI', { status: 'done', labels: ['infra'] }],
    ];
    for (const [title, extra] of seed) {
      const reply = await ada.client.post(`/api/projects/${projectId}/tasks`, { title, ...extra });
      if (reply.status !== 201) throw new Error(`seed task: ${reply.status} ${JSON.stringify(reply.body)}`);
    }
    const roomId = (await ada.client.get(`/api/projects/${projectId}/rooms`)).body.items[0].id;
    const apiToken = (await ada.client.post('/api/tokens', { name: 'CI' })).body.token as string;
    const say = async (client: Client, message: string) => {
      const reply = await client.post(`/api/rooms/${roomId}/messages`, { text: message });
      if (reply.status !== 201) throw new Error(`seed message: ${reply.status} ${JSON.stringify(reply.body)}`);
    };
    await say(ada.client, 'Morning! The press release draft is in the shared folder.');
    await say(bo.client, 'Thanks, I will read it before lunch.');
    await say(bo.client, 'The venue can hold 120 people, is that enough?');
    await say(new Client(api.url, apiToken), 'Deploy finished: build 128 is live on staging.');
    await say(ada.client, 'Plenty. Let us book it.');
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  after(async () => {
    if (process.env.THEME_REPORT) process.stdout.write(`\n${measured.join('\n')}\n`);
    await host?.close();
    await api?.stop();
  });

  it('is light by default and dark under prefers-color-scheme: dark, with no error', async () => {
    for (const scheme of SCHEMES) {
      const page = await widgetPage(scheme);
      const errors = collectErrors(page);
      const card = page.locator('taskwire-widget taskwire-board .card').first();
      const panel = page.locator('taskwire-widget .panel');
      const [cardBg, panelBg] = [luminance(await backgroundOf(card)), luminance(await backgroundOf(panel))];
      if (scheme === 'light') expect([cardBg, panelBg]).to.satisfy((l: number[]) => l.every((v) => v > 0.8));
      else expect([cardBg, panelBg]).to.satisfy((l: number[]) => l.every((v) => v < 0.05));
      expect(await page.locator('taskwire-widget').evaluate((el) => (globalThis as any).getComputedStyle(el).colorScheme)).to.equal(scheme);
      expect(errors).to.deep.equal([]);
    }
  });

  it('takes theme="dark" and theme="light" over the system\'s scheme, on the widget (its board and chat too) and on a lone board or chat, and follows a change', async () => {
    const dark = await widgetPage('light', 'board', ' theme="dark"');
    const card = dark.locator('taskwire-widget taskwire-board .card').first();
    expect(luminance(await backgroundOf(card)), 'a dark card on a light system').to.be.below(0.05);
    expect(await dark.locator('taskwire-widget taskwire-board').getAttribute('theme')).to.equal('dark');
    await dark.locator('taskwire-widget .tab', { hasText: 'Chat' }).click();
    await dark.locator('taskwire-widget taskwire-chat .message').first().waitFor();
    expect(luminance(await backgroundOf(dark.locator('taskwire-widget taskwire-chat .chat'))), 'the chat too').to.be.below(0.05);
    // Changed at run time (the property reflects to the attribute).
    await dark.locator('taskwire-widget').evaluate((el) => ((el as unknown as { theme: string }).theme = 'light'));
    await dark.locator('taskwire-widget[theme="light"] taskwire-chat[theme="light"]').waitFor();
    expect(luminance(await backgroundOf(dark.locator('taskwire-widget taskwire-chat .chat')))).to.be.above(0.8);
    // auto (or no attribute) follows the system again.
    await dark.locator('taskwire-widget').evaluate((el) => el.setAttribute('theme', 'auto'));
    await dark.emulateMedia({ colorScheme: 'dark' });
    await dark.locator('taskwire-widget taskwire-chat[theme="auto"]').waitFor();
    expect(luminance(await backgroundOf(dark.locator('taskwire-widget taskwire-chat .chat')))).to.be.below(0.05);

    const light = await widgetPage('dark', 'board', ' theme="light"');
    expect(luminance(await backgroundOf(light.locator('taskwire-widget taskwire-board .card').first())), 'a light card on a dark system').to.be.above(0.8);

    const lone = await hostPage('light', `<taskwire-board project="${projectId}" token="${ada.token}" theme="dark" style="height: 420px"></taskwire-board><taskwire-chat project="${projectId}" token="${ada.token}" theme="dark" style="height: 420px"></taskwire-chat>`);
    await lone.locator('taskwire-board .card').first().waitFor();
    await lone.locator('taskwire-chat .message').first().waitFor();
    expect(luminance(await backgroundOf(lone.locator('taskwire-board .card').first()))).to.be.below(0.05);
    expect(luminance(await backgroundOf(lone.locator('taskwire-chat .chat')))).to.be.below(0.05);
  });

  it('lets the public --taskwire-* properties win in both themes', async () => {
    for (const scheme of SCHEMES) {
      const page = await hostPage(scheme, `<taskwire-widget project="${projectId}" token="${ada.token}" open></taskwire-widget>`, 'taskwire-widget { --taskwire-accent: #0b6e4f; --taskwire-surface: #fffdf5; --taskwire-fg: #222222 }');
      await page.locator('taskwire-widget taskwire-board .card').first().waitFor();
      expect(await backgroundOf(page.locator('taskwire-widget .launcher'))).to.equal('rgb(11, 110, 79)');
      expect(await backgroundOf(page.locator('taskwire-widget taskwire-board .card').first())).to.equal('rgb(255, 253, 245)');
      expect(await page.locator('taskwire-widget taskwire-board .card-title').first().evaluate((el) => (globalThis as any).getComputedStyle(el).color)).to.equal('rgb(34, 34, 34)');
    }
  });

  for (const scheme of SCHEMES) {
    it(`meets WCAG AA contrast in ${scheme}: the widget's board, chat and task editor`, async () => {
      const page = await widgetPage(scheme);
      await expectContrast(page, scheme, [...WIDGET_CHECKS, ...BOARD_CHECKS('taskwire-widget')]);
      await page.locator('taskwire-widget taskwire-board .card', { hasText: 'Fix the login redirect' }).click();
      await page.locator('taskwire-widget taskwire-board .editor').waitFor();
      await expectContrast(page, scheme, EDITOR_CHECKS);
      await page.keyboard.press('Escape');
      await page.locator('taskwire-widget .tab', { hasText: 'Chat' }).click();
      await page.locator('taskwire-widget taskwire-chat .message .badge').waitFor();
      await expectContrast(page, scheme, CHAT_CHECKS('taskwire-widget'));
    });

    it(`meets WCAG AA contrast in ${scheme}: the app page's shell, board, chat and Members tab`, async () => {
      const page = await appPage(scheme, `#/projects/${projectId}/board`);
      await page.locator('taskwire-app taskwire-board .card').first().waitFor();
      await expectContrast(page, scheme, [...APP_CHECKS, ...BOARD_CHECKS('taskwire-app')]);
      await page.locator('taskwire-app .tab', { hasText: 'Chat' }).click();
      await page.locator('taskwire-app taskwire-chat .message .badge').waitFor();
      await expectContrast(page, scheme, CHAT_CHECKS('taskwire-app'));
      await page.locator('taskwire-app .tab', { hasText: 'Members' }).click();
      await page.locator('taskwire-app .members .email').first().waitFor();
      await expectContrast(page, scheme, MEMBERS_CHECKS);
    });

    it(`has no serious or critical axe violation in ${scheme}: the widget's board, task editor and chat`, async () => {
      const page = await widgetPage(scheme);
      await expectNoAxeViolations(page, `${scheme} widget board`);
      await page.locator('taskwire-widget taskwire-board .card', { hasText: 'Write the press release' }).click();
      await page.locator('taskwire-widget taskwire-board .editor').waitFor();
      await expectNoAxeViolations(page, `${scheme} task editor`);
      await page.keyboard.press('Escape');
      await page.locator('taskwire-widget .tab', { hasText: 'Chat' }).click();
      await page.locator('taskwire-widget taskwire-chat .message').first().waitFor();
      await expectNoAxeViolations(page, `${scheme} widget chat`);
      // The message menu open.
      await page.locator('taskwire-widget taskwire-chat .message', { hasText: 'Plenty' }).hover();
      await page.locator('taskwire-widget taskwire-chat .message', { hasText: 'Plenty' }).locator('.menu-button').click();
      await page.locator('taskwire-widget taskwire-chat .menu').waitFor();
      await expectNoAxeViolations(page, `${scheme} message menu`);
    });

    it(`has no serious or critical axe violation in ${scheme}: every tab of the app page, for an admin`, async () => {
      const page = await appPage(scheme, `#/projects/${projectId}/board`);
      const ready: Record<string, string> = {
        Board: 'taskwire-app taskwire-board .card',
        Chat: 'taskwire-app taskwire-chat .message',
        Insights: 'taskwire-app taskwire-insights canvas',
        Members: 'taskwire-app .members .email',
        Embed: 'taskwire-app taskwire-embed-tokens table',
        Integrations: 'taskwire-app taskwire-integrations form',
      };
      for (const [tab, selector] of Object.entries(ready)) {
        await page.locator('taskwire-app .tab', { hasText: tab }).click();
        await page.locator(selector).first().waitFor({ timeout: 10_000 });
        await expectNoAxeViolations(page, `${scheme} app ${tab} tab`);
      }
    });
  }

  it('has axe see into the shadow roots: a host page\'s unreadable --taskwire-muted is reported', async () => {
    const page = await hostPage('light', `<taskwire-widget project="${projectId}" token="${ada.token}" open></taskwire-widget>`, 'taskwire-widget { --taskwire-muted: #c4c8cf }');
    await page.locator('taskwire-widget taskwire-board .card').first().waitFor();
    const found = await axeViolations(page);
    expect(found.map((f) => f.id)).to.include('color-contrast');
    // Inside the board's shadow root, inside the widget's.
    expect(found.find((f) => f.id === 'color-contrast')!.targets.join(' ')).to.include('taskwire-widget >> #tab-board >> ');
  });

  it('writes the README\'s screenshots: the app page in light and dark, desktop and phone', async () => {
    for (const scheme of SCHEMES) {
      const desktop = await appPage(scheme, `#/projects/${projectId}/board`);
      await desktop.locator('taskwire-app taskwire-board .card').first().waitFor();
      await desktop.locator('taskwire-app taskwire-board [part~="status"][data-state="live"]').waitFor();
      await screenshot(desktop, `theme-${scheme}-desktop`);
      const phone = await appPage(scheme, `#/projects/${projectId}/chat`, PHONE);
      await phone.locator('taskwire-app taskwire-chat .message').last().waitFor();
      await phone.locator('taskwire-app taskwire-chat [part~="status"][data-state="live"]').waitFor();
      await screenshot(phone, `theme-${scheme}-phone`);
    }
  });
});
