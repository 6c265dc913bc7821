// A board of 1,200 cards (400 per column) in Chromium, embedded from another
// origin: columns load a page at a time and render only the rows near their
// viewport, yet every card can be reached by scrolling, dragged to a place far
// down a column, moved past cards never rendered by keyboard, found by a
// filter without ever being loaded, and changed live.

import { expect } from 'chai';
import type { Browser, Locator, Page } from 'playwright-core';
import { registerUser, startApi, type ApiServer, type TestUser } from '../support/api.js';
import { collectErrors, startHostSite, useBrowser, type HostSite } from '../support/browser.js';
import { cardTitle, seedBoard } from '../bench/lib/board-seed.js';

const PER_COLUMN = 400;
const ROW = 94;

interface Fixture {
  browser: Browser;
  api: ApiServer;
  host: HostSite;
  owner: TestUser;
  projectId: string;
  ids: Record<string, string[]>;
}

function hostHtml(f: Fixture): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8" /><title>Big board</title><link rel="icon" href="data:," />
<script type="module" src="${f.api.url}/widget.js"></script></head>
<body style="margin:0"><taskwire-board project="${f.projectId}" token="${f.owner.token}" style="height:700px;display:block"></taskwire-board></body></html>`;
}

const card = (page: Page, title: string): Locator => page.locator('taskwire-board .card', { hasText: title });
const cards = (page: Page, status: string): Locator => page.locator(`taskwire-board .cards[data-status="${status}"]`);
const count = (page: Page, status: string): Promise<string | null> => page.locator(`taskwire-board .column[data-status="${status}"] .count`).textContent();
const countIs = (page: Page, status: string, n: number) => page.locator(`taskwire-board .column[data-status="${status}"] .count`, { hasText: new RegExp(`^${n}$`) }).waitFor({ timeout: 5000 });

async function openBoard(f: Fixture): Promise<Page> {
  const page = await (await f.browser.newContext({ viewport: { width: 1180, height: 760 }, reducedMotion: 'reduce' })).newPage();
  await page.goto(f.host.page(hostHtml(f)));
  await page.locator('taskwire-board [part~="status"][data-state="live"]').waitFor({ timeout: 10_000 });
  return page;
}

/** Scrolls a column to `top` (px), or its end, until `title` is rendered. */
async function scrollUntil(page: Page, status: string, title: string, top: number | 'end'): Promise<void> {
  for (let i = 0; i < 60; i++) {
    await cards(page, status).evaluate((el, to) => (el.scrollTop = to === 'end' ? el.scrollHeight : to), top);
    if (await card(page, title).count()) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`${title} never showed up`);
}

async function columnIds(f: Fixture, status: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await f.owner.client.get(
      `/api/projects/${f.projectId}/tasks?status=${status}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    ids.push(...page.body.items.map((t) => t.id));
    cursor = page.body.nextCursor;
  } while (cursor);
  return ids;
}

/**
 * Whether a column read shows `id` exactly once. A column is read a page at a
 * time, so a move that lands between two page reads shows the card twice (its
 * old place on page one, its new place on page two): such a read is retried.
 */
function settledOnce(ids: string[], id: string): boolean {
  return ids.indexOf(id) !== -1 && ids.indexOf(id) === ids.lastIndexOf(id);
}

describe('A big board in Chromium [sqlite]', function () {
  this.timeout(90_000);
  const f = {} as Fixture;

  before(async function () {
    this.timeout(120_000);
    f.browser = await useBrowser(this);
    f.api = await startApi('sqlite', this);
    f.host = await startHostSite();
    f.owner = await registerUser(f.api, 'Ada Lovelace');
    f.projectId = (await f.owner.client.post('/api/projects', { name: 'Years of work' })).body.id;
    f.ids = await seedBoard(f.api.server.store, f.projectId, f.owner.id, { todo: PER_COLUMN, doing: PER_COLUMN, done: PER_COLUMN });
  });

  after(async () => {
    await f.host?.close();
    await f.api?.stop();
  });

  it('loads a page per column, renders only rows near the viewport, opens Done at its end, and scrolls a column to its last card', async () => {
    const page = await openBoard(f);
    const errors = collectErrors(page);
    expect(await count(page, 'todo')).to.equal(String(PER_COLUMN));
    expect(await count(page, 'done')).to.equal(String(PER_COLUMN));
    await card(page, cardTitle('done', PER_COLUMN - 1)).waitFor({ timeout: 5000 });
    expect(await page.locator('taskwire-board .card[data-id]').count(), 'only rows near the viewports').to.be.below(120);
    const first = card(page, cardTitle('todo', 0));
    // Each column is a row of the board's grid; a card's aria-colindex is its place among all of the column's cards.
    expect(await first.getAttribute('aria-colindex')).to.equal('1');
    await scrollUntil(page, 'todo', cardTitle('todo', PER_COLUMN - 1), 'end');
    const last = card(page, cardTitle('todo', PER_COLUMN - 1));
    await last.waitFor({ state: 'visible' });
    expect(await last.getAttribute('aria-colindex')).to.equal(String(PER_COLUMN));
    expect(await card(page, cardTitle('todo', 0)).count(), 'the top rows left the DOM').to.equal(0);
    expect(errors).to.deep.equal([]);
  });

  it('drags a card to a far place in another column, next to the card it was dropped on', async () => {
    const page = await openBoard(f);
    const target = cardTitle('doing', 250);
    await scrollUntil(page, 'doing', target, 250 * ROW - 200);
    const moving = cardTitle('todo', 3);
    await card(page, moving).dragTo(card(page, target));
    const movedId = f.ids.todo![3]!;
    const targetId = f.ids.doing![250]!;
    let doing: string[] = [];
    for (let i = 0; i < 50; i++) {
      doing = await columnIds(f, 'doing');
      if (settledOnce(doing, movedId)) break;
      await page.waitForTimeout(100);
    }
    expect(Math.abs(doing.indexOf(movedId) - doing.indexOf(targetId)), 'dropped next to its target').to.equal(1);
    expect(await count(page, 'doing')).to.equal(String(PER_COLUMN + 1));
    expect(await count(page, 'todo')).to.equal(String(PER_COLUMN - 1));
  });

  it('moves a card by keyboard past cards never rendered (Page Down, End) and the server puts it there', async () => {
    const page = await openBoard(f);
    const title = cardTitle('todo', 5);
    const id = f.ids.todo![5]!;
    const live = page.locator('taskwire-board [aria-live]');
    await card(page, title).focus();
    await page.keyboard.press('Space');
    for (let i = 0; i < 3; i++) await page.keyboard.press('PageDown');
    expect(await live.textContent()).to.match(/^To ?do, position 3\d of \d+/i);
    await page.keyboard.press('End');
    const size = PER_COLUMN - 1;
    expect(await live.textContent()).to.match(new RegExp(`position ${size} of ${size}`));
    await page.keyboard.press('Space');
    expect(await live.textContent()).to.match(new RegExp(`^Dropped ${title} in .*, position ${size}\\.`));
    let todo: string[] = [];
    for (let i = 0; i < 50; i++) {
      todo = await columnIds(f, 'todo');
      if (settledOnce(todo, id) && todo.at(-1) === id) break;
      await page.waitForTimeout(100);
    }
    expect(todo.at(-1)).to.equal(id);
    expect(todo).to.have.length(size);
  });

  it('finds a card that was never loaded with the filter (on the server), with the column counts of the filter', async () => {
    const page = await openBoard(f);
    const title = cardTitle('done', 7);
    expect(await card(page, title).count(), 'Done opens at its end').to.equal(0);
    await page.locator('taskwire-board [part~="filter"]').fill(title);
    await card(page, title).waitFor({ timeout: 5000 });
    expect(await count(page, 'done')).to.equal('1');
    expect(await count(page, 'todo')).to.equal('0');
    await page.locator('taskwire-board [part~="filter"]').fill('#bulk');
    await countIs(page, 'done', 58);
    await page.locator('taskwire-board [part~="filter"]').fill('');
    await countIs(page, 'done', 400);
  });

  it('shows a live change to a loaded card, and to an unloaded one only in the counts', async () => {
    const page = await openBoard(f);
    const loaded = f.ids.doing![0]!;
    const task = (await f.owner.client.get(`/api/tasks/${loaded}`)).body;
    await f.owner.client.patch(`/api/tasks/${loaded}`, { title: 'Renamed live', version: task.version });
    await card(page, 'Renamed live').waitFor({ timeout: 2000 });
    const far = f.ids.todo![300]!;
    const farTask = (await f.owner.client.get(`/api/tasks/${far}`)).body;
    const [todoBefore, doneBefore] = [Number(await count(page, 'todo')), Number(await count(page, 'done'))];
    await f.owner.client.post(`/api/tasks/${far}/move`, { status: 'done', version: farTask.version });
    await countIs(page, 'todo', todoBefore - 1);
    expect(Number(await count(page, 'done'))).to.equal(doneBefore + 1);
    // Moved to Done's end, which is loaded: it shows there.
    await card(page, cardTitle('todo', 300)).waitFor({ timeout: 2000 });
  });
});
