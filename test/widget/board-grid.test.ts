// The board as an ARIA grid in Chromium (WAI-ARIA grid pattern, drag and drop
// by keyboard): one Tab stop for the whole board with a roving tabindex, arrows
// between cards (Left/Right to the nearest card by height, not the same index),
// Home/End, Space/Enter to pick a card up, arrows to move it, Enter to drop,
// Escape to cancel; columns that take a drop anywhere down to the bottom of the
// board, an empty one too; and axe finds nothing serious in light or dark.

import { expect } from 'chai';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { axeViolations, describeFindings } from '../support/a11y.js';
import { registerUser, startApi, type ApiServer, type TestUser } from '../support/api.js';
import { collectErrors, startHostSite, useBrowser, type HostSite } from '../support/browser.js';

const LONG = 'A task whose title is long enough to wrap over several lines of its card, so that this column runs taller than the next one';

/** The focused element inside the board: its card id, or its data-nav key. */
const focused = (page: Page): Promise<string | null> =>
  page.evaluate(`(() => { const a = document.querySelector('taskwire-board').shadowRoot.activeElement; return a ? a.dataset.nav || a.className : null; })()`);

const card = (page: Page, title: string): Locator => page.locator('taskwire-board .card', { hasText: title });

const idOf = async (page: Page, title: string): Promise<string> => (await card(page, title).getAttribute('data-id'))!;

/** The vertical centre of an element on the page. */
const y = async (l: Locator): Promise<number> => {
  const box = (await l.boundingBox())!;
  return box.y + box.height / 2;
};

const live = (page: Page): Locator => page.locator('taskwire-board [aria-live]');

describe('The board as a keyboard grid, with drops anywhere in a column, in Chromium [sqlite]', function () {
  this.timeout(60_000);
  let api: ApiServer;
  let browser: Browser;
  let host: HostSite;
  let owner: TestUser;
  let projectId: string;
  const contexts: BrowserContext[] = [];

  const hostHtml = (theme = 'light') => `<!doctype html><html lang="en"><head><meta charset="utf-8" /><title>Grid</title><link rel="icon" href="data:," />
<script type="module" src="${api.url}/widget.js"></script></head>
<body style="margin:0"><main><taskwire-board theme="${theme}" project="${projectId}" token="${owner.token}" style="height:760px;display:block"></taskwire-board><button id="after">After the board</button></main></body></html>`;

  const open = async (theme = 'light'): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1180, height: 860 }, reducedMotion: 'reduce' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(host.page(hostHtml(theme)));
    await page.locator('taskwire-board [part~="status"][data-state="live"]').waitFor({ timeout: 10_000 });
    await page.locator('taskwire-board .card', { hasText: 'Short 8' }).waitFor();
    return page;
  };

  const titlesIn = async (status: string): Promise<string[]> => (await owner.client.get(`/api/projects/${projectId}/tasks?status=${status}&limit=100`)).body.items.map((t: { title: string }) => t.title);

  before(async function () {
    this.timeout(120_000);
    browser = await useBrowser(this);
    api = await startApi('sqlite', this);
    host = await startHostSite();
    owner = await registerUser(api, 'Ada Lovelace');
    projectId = (await owner.client.post('/api/projects', { name: 'Grid' })).body.id;
    for (let i = 1; i <= 5; i++) await owner.client.post(`/api/projects/${projectId}/tasks`, { title: `Tall ${i}: ${LONG}`, status: 'todo', labels: ['design', 'long'] });
    for (let i = 1; i <= 8; i++) await owner.client.post(`/api/projects/${projectId}/tasks`, { title: `Short ${i}`, status: 'doing' });
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  after(async () => {
    await host?.close();
    await api?.stop();
  });

  it('is one Tab stop: the last focused card keeps tabindex 0, the others -1; arrows, nearest card across, Home/End', async () => {
    const page = await open();
    const errors = collectErrors(page);
    expect(await page.locator('taskwire-board [role="grid"] [role="row"]').count()).to.equal(3);
    await page.locator('taskwire-board [part~="filter"]').focus();
    await page.keyboard.press('Tab');
    const first = await idOf(page, 'Tall 1:');
    expect(await focused(page)).to.equal(first);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.id'), 'the next Tab leaves the board').to.equal('after');

    await card(page, 'Tall 1:').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const third = await idOf(page, 'Tall 3:');
    expect(await focused(page)).to.equal(third);
    const stops = await page.locator('taskwire-board .columns [data-nav][tabindex="0"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-nav')));
    expect(stops, 'one cell in the Tab order: the focused card').to.deep.equal([third]);
    expect(await page.locator('taskwire-board .columns [data-nav][tabindex="-1"]').count()).to.equal(5 + 8 + 3 - 1);
    // Away and back: Tab returns to the card focused last.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    expect(await focused(page)).to.equal(third);

    // Right goes to the card of Doing nearest by height: the tall cards put Tall 3 beside a later short one.
    const from = await y(card(page, 'Tall 3:'));
    const shorts = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(async (n) => ({ n, d: Math.abs((await y(card(page, `Short ${n}`))) - from) })));
    const nearest = shorts.sort((a, b) => a.d - b.d)[0]!.n;
    expect(nearest, 'the nearest card is not the one at the same index').to.be.above(3);
    await page.keyboard.press('ArrowRight');
    expect(await focused(page)).to.equal(await idOf(page, `Short ${nearest}`));
    await page.keyboard.press('ArrowLeft');
    expect(await focused(page)).to.equal(third);

    await page.keyboard.press('End');
    expect(await focused(page)).to.equal(await idOf(page, 'Tall 5:'));
    await page.keyboard.press('ArrowDown');
    expect(await focused(page), 'below the last card: "+ Add task"').to.equal('add:todo');
    await page.keyboard.press('Home');
    expect(await focused(page)).to.equal(first);
    // Right into the empty column lands on its "+ Add task".
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await focused(page)).to.equal('add:done');
    expect(errors).to.deep.equal([]);
  });

  it('picks a card up with Enter or Space, moves it with arrows, drops it with Enter, cancels with Escape; F2 opens it', async () => {
    const page = await open();
    await card(page, 'Short 2').focus();
    await page.keyboard.press('Enter');
    expect(await card(page, 'Short 2').getAttribute('aria-grabbed')).to.equal('true');
    expect(await live(page).textContent()).to.match(/^Picked up Short 2\. Doing, position 2 of 8/);
    await page.keyboard.press('ArrowDown');
    expect(await live(page).textContent()).to.match(/Doing, position 3 of 8/);
    await page.keyboard.press('ArrowRight');
    expect(await live(page).textContent()).to.match(/^Done, position 1 of 1/);
    await page.keyboard.press('Enter');
    expect(await live(page).textContent()).to.match(/^Dropped Short 2 in Done/);
    for (let i = 0; i < 50 && !(await titlesIn('done')).includes('Short 2'); i++) await page.waitForTimeout(100);
    expect(await titlesIn('done')).to.deep.equal(['Short 2']);

    await card(page, 'Short 4').focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Escape');
    expect(await live(page).textContent()).to.match(/^Move cancelled\. Short 4 is back in Doing/);
    expect(await card(page, 'Short 4').getAttribute('aria-grabbed')).to.equal('false');
    expect(await focused(page)).to.equal(await idOf(page, 'Short 4'));

    await page.keyboard.press('F2');
    await page.locator('taskwire-board .editor input[name="title"]').waitFor();
    expect(await page.locator('taskwire-board .editor input[name="title"]').inputValue()).to.equal('Short 4');
    await page.keyboard.press('Escape');
    await page.locator('taskwire-board .editor').waitFor({ state: 'detached' });
  });

  it('takes a drop anywhere in a column down to the bottom of the board, in an empty column too', async () => {
    const page = await open();
    // Done may hold a card from the test before: empty it.
    for (const t of (await owner.client.get(`/api/projects/${projectId}/tasks?status=done`)).body.items) {
      await owner.client.post(`/api/tasks/${t.id}/move`, { status: 'doing', version: t.version });
    }
    await page.locator('taskwire-board .column[data-status="done"] .column-empty').waitFor();
    const columns = (await page.locator('taskwire-board .columns').boundingBox())!;
    const done = (await page.locator('taskwire-board .column[data-status="done"]').boundingBox())!;
    expect(done.height, 'the empty column runs to the bottom of the board').to.be.above(columns.height - 40);
    // Dropped near the bottom of the board, far below the empty column's "No tasks".
    await card(page, 'Tall 1:').dragTo(page.locator('taskwire-board .columns'), { targetPosition: { x: done.x - columns.x + done.width / 2, y: columns.height - 30 } });
    for (let i = 0; i < 50 && !(await titlesIn('done')).length; i++) await page.waitForTimeout(100);
    expect((await titlesIn('done')).map((t) => t.split(':')[0])).to.deep.equal(['Tall 1']);
    // Below the last card of a column: its end.
    const doing = (await page.locator('taskwire-board .column[data-status="doing"]').boundingBox())!;
    await card(page, 'Tall 2:').dragTo(page.locator('taskwire-board .columns'), { targetPosition: { x: doing.x - columns.x + doing.width / 2, y: columns.height - 30 } });
    for (let i = 0; i < 50 && !(await titlesIn('doing')).some((t) => t.startsWith('Tall 2')); i++) await page.waitForTimeout(100);
    expect((await titlesIn('doing')).at(-1)).to.match(/^Tall 2:/);
  });

  for (const theme of ['light', 'dark']) {
    it(`has no serious or critical axe violation on the grid (${theme}), with a card picked up and the quick-add open`, async () => {
      const page = await open(theme);
      await card(page, 'Short 1').focus();
      expect(await axeViolations(page).then((found) => describeFindings(found))).to.equal('');
      await page.keyboard.press('Space');
      await page.locator('taskwire-board .card.grabbed').waitFor();
      const grabbed = await axeViolations(page);
      expect(grabbed, describeFindings(grabbed)).to.deep.equal([]);
      await page.keyboard.press('Escape');
      await page.locator('taskwire-board .column[data-status="done"] [part~="add-button"]').click();
      await page.locator('taskwire-board .quick-add textarea').fill('   ');
      await page.locator('taskwire-board .quick-add textarea').press('Enter');
      await page.locator('taskwire-board .quick-add .refusal').waitFor();
      const adding = await axeViolations(page);
      expect(adding, describeFindings(adding)).to.deep.equal([]);
    });
  }
});
