// The board on a phone (390×844, a touch screen) in Chromium: one column at a
// time with a tab per column (name and count), a swipe to the next or previous
// column, a long press then a drag to move a card (onto a column's tab, or to a
// place in the column), and a full-screen task editor whose Column select still
// moves a card.

import { expect } from 'chai';
import type { Browser, BrowserContext, CDPSession, Locator, Page } from 'playwright-core';
import { registerUser, startApi, type ApiServer, type TestUser } from '../support/api.js';
import { collectErrors, screenshot, startHostSite, useBrowser, type HostSite } from '../support/browser.js';

const PHONE = { width: 390, height: 844 };

const touch = (cdp: CDPSession, type: 'touchStart' | 'touchMove' | 'touchEnd', x = 0, y = 0) =>
  cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });

const centre = async (l: Locator): Promise<{ x: number; y: number }> => {
  const box = (await l.boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
};

/** A finger from `from` to `to`, in steps, holding still first for `hold` ms. */
const gesture = async (page: Page, cdp: CDPSession, from: { x: number; y: number }, to: { x: number; y: number }, hold: number) => {
  await touch(cdp, 'touchStart', from.x, from.y);
  if (hold) await page.waitForTimeout(hold);
  for (let i = 1; i <= 8; i++) {
    await touch(cdp, 'touchMove', from.x + ((to.x - from.x) * i) / 8, from.y + ((to.y - from.y) * i) / 8);
    await page.waitForTimeout(hold ? 30 : 10);
  }
  if (hold) await page.waitForTimeout(150);
  await touch(cdp, 'touchEnd');
};

const shownColumns = (page: Page): Promise<string[]> =>
  page.locator('taskwire-board .column').evaluateAll((els) => els.filter((el) => el.getClientRects().length > 0).map((el) => el.getAttribute('data-status')!));

const tab = (page: Page, name: string): Locator => page.locator('taskwire-board [part~="column-tab"]', { hasText: name });

const until = async (check: () => Promise<boolean>): Promise<void> => {
  for (let i = 0; i < 50 && !(await check()); i++) await new Promise((r) => setTimeout(r, 100));
};

describe('The board on a phone, with touch, in Chromium [sqlite]', function () {
  this.timeout(60_000);
  let api: ApiServer;
  let browser: Browser;
  let host: HostSite;
  let owner: TestUser;
  let projectId: string;
  const contexts: BrowserContext[] = [];

  const open = async (): Promise<{ page: Page; cdp: CDPSession }> => {
    const context = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true, reducedMotion: 'reduce' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(
      host.page(`<!doctype html><html lang="en"><head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1" /><title>Phone</title><link rel="icon" href="data:," />
<script type="module" src="${api.url}/widget.js"></script></head>
<body style="margin:0"><taskwire-board project="${projectId}" token="${owner.token}" style="height:100vh;display:block"></taskwire-board></body></html>`),
    );
    await page.locator('taskwire-board [part~="status"][data-state="live"]').waitFor({ timeout: 10_000 });
    await page.locator('taskwire-board .card', { hasText: 'First' }).waitFor();
    return { page, cdp: await context.newCDPSession(page) };
  };
  const titlesIn = async (status: string): Promise<string[]> => (await owner.client.get(`/api/projects/${projectId}/tasks?status=${status}`)).body.items.map((t: { title: string }) => t.title);

  before(async function () {
    this.timeout(120_000);
    browser = await useBrowser(this);
    api = await startApi('sqlite', this);
    host = await startHostSite();
    owner = await registerUser(api, 'Ada Lovelace');
    projectId = (await owner.client.post('/api/projects', { name: 'Pocket' })).body.id;
    for (const title of ['First', 'Second', 'Third']) await owner.client.post(`/api/projects/${projectId}/tasks`, { title, status: 'todo' });
    await owner.client.post(`/api/projects/${projectId}/tasks`, { title: 'Underway', status: 'doing' });
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  after(async () => {
    await host?.close();
    await api?.stop();
  });

  it('shows one column at a time, with tabs (names and counts) and a swipe to the next or previous column', async () => {
    const { page, cdp } = await open();
    const errors = collectErrors(page);
    expect(await shownColumns(page)).to.deep.equal(['todo']);
    expect((await page.locator('taskwire-board [part~="column-tab"]').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim())).to.deep.equal(['To do 3', 'Doing 1', 'Done 0']);
    expect(await tab(page, 'To do').getAttribute('aria-selected')).to.equal('true');
    const column = (await page.locator('taskwire-board .column[data-status="todo"]').boundingBox())!;
    expect(column.width, 'the column takes the phone\'s width').to.be.above(PHONE.width - 40);
    await screenshot(page, 'board-phone');

    await tab(page, 'Doing').click();
    expect(await shownColumns(page)).to.deep.equal(['doing']);
    const middle = { x: PHONE.width / 2, y: column.y + 60 };
    await gesture(page, cdp, { x: middle.x + 120, y: middle.y }, { x: middle.x - 120, y: middle.y + 10 }, 0);
    await page.waitForTimeout(100);
    expect(await shownColumns(page), 'a swipe to the left: the next column').to.deep.equal(['done']);
    await gesture(page, cdp, { x: middle.x - 120, y: middle.y }, { x: middle.x + 120, y: middle.y }, 0);
    await page.waitForTimeout(100);
    expect(await shownColumns(page)).to.deep.equal(['doing']);
    expect(errors).to.deep.equal([]);
  });

  it('moves a card with a long press and a drag: onto a column\'s tab, and to a place in its column', async () => {
    const { page, cdp } = await open();
    await gesture(page, cdp, await centre(page.locator('taskwire-board .card', { hasText: 'Third' })), await centre(tab(page, 'Done')), 520);
    await until(async () => (await titlesIn('done')).includes('Third'));
    expect(await titlesIn('done')).to.deep.equal(['Third']);
    expect(await titlesIn('todo')).to.deep.equal(['First', 'Second']);
    // Dropped on its tab, Done came into view.
    expect(await shownColumns(page)).to.deep.equal(['done']);
    await tab(page, 'To do').tap();

    // Within the column: First goes below Second.
    const second = (await page.locator('taskwire-board .card', { hasText: 'Second' }).boundingBox())!;
    await gesture(page, cdp, await centre(page.locator('taskwire-board .card', { hasText: 'First' })), { x: second.x + second.width / 2, y: second.y + second.height + 20 }, 520);
    await until(async () => (await titlesIn('todo'))[0] === 'Second');
    expect(await titlesIn('todo')).to.deep.equal(['Second', 'First']);
    expect(await page.locator('taskwire-board .editor').count(), 'a drag opens no editor').to.equal(0);
  });

  it('opens the task editor full screen, where the Column select still moves a card', async () => {
    const { page } = await open();
    await page.locator('taskwire-board .card', { hasText: 'Second' }).tap();
    const editor = page.locator('taskwire-board .editor');
    await editor.waitFor();
    const box = (await editor.boundingBox())!;
    expect([box.x, box.y, box.width, box.height].map(Math.round)).to.deep.equal([0, 0, PHONE.width, PHONE.height]);
    await screenshot(page, 'board-phone-editor');
    await editor.locator('select[name="status"]').selectOption('doing');
    await editor.locator('.btn.primary').tap();
    await editor.waitFor({ state: 'detached' });
    await until(async () => (await titlesIn('doing')).includes('Second'));
    expect(await titlesIn('doing')).to.include('Second');
  });
});
