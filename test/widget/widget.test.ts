// The widget in a real Chromium, embedded in a page of another origin the way
// a customer's site embeds it: board, live updates, drag and drop, keyboard
// moves, chat, XSS, a network outage, and two copies of the script on a page.

import { expect } from 'chai';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { registerUser, startApi, type ApiServer, type TestUser } from '../support/api.js';
import { collectErrors, screenshot, startHostSite, useBrowser, type HostSite } from '../support/browser.js';
import { connectSocket } from '../support/socket.js';

interface Fixture {
  api: ApiServer;
  browser: Browser;
  host: HostSite;
  owner: TestUser;
  bo: TestUser;
  projectId: string;
  roomId: string;
}

const VIEWPORT = { width: 1180, height: 820 };

function hostHtml(api: ApiServer, body: string, scripts = 1): string {
  const tags = Array.from({ length: scripts }, (_, i) => `<script type="module" src="${api.url}/widget.js${i ? `?copy=${i + 1}` : ''}"></script>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Acme intranet</title>
  <link rel="icon" href="data:," />
  <style>body { font-family: Georgia, serif; margin: 0; padding: 24px 32px; background: #fbfaf7; color: #333 } header { font-size: 22px; font-weight: bold }</style>
  ${tags}
</head>
<body>
  <header>Acme intranet</header>
  <p>Welcome back. Your team's board and chat live in the corner.</p>
  ${body}
</body>
</html>`;
}

/** A host page with an open <taskwire-widget> for `user`; `server` comes from the script's own origin. */
async function openWidget(f: Fixture, context: BrowserContext, user: TestUser, options: { tab?: 'board' | 'chat'; room?: string } = {}): Promise<Page> {
  const page = await context.newPage();
  const tab = options.tab ? ` tab="${options.tab}"` : '';
  const room = options.room ? ` room="${options.room}"` : '';
  await page.goto(f.host.page(hostHtml(f.api, `<taskwire-widget project="${f.projectId}" token="${user.token}" open${tab}${room}></taskwire-widget>`)));
  await page.locator(`taskwire-widget taskwire-${options.tab ?? 'board'} [part~="status"][data-state="live"]`).waitFor({ timeout: 10_000 });
  return page;
}

const card = (page: Page, title: string): Locator => page.locator('taskwire-board .card', { hasText: title });
const column = (page: Page, status: string): Locator => page.locator(`taskwire-board .column[data-status="${status}"]`);
const message = (page: Page, text: string): Locator => page.locator('taskwire-chat .message', { hasText: text });

async function columnOf(page: Page, title: string): Promise<string | null> {
  return card(page, title).locator('xpath=ancestor::section[1]').getAttribute('data-status');
}

/** Reduced motion keeps screenshots and timings steady; `animated` exercises the FLIP and highlight code. */
async function newContext(f: Fixture, animated = false): Promise<BrowserContext> {
  return f.browser.newContext({ viewport: VIEWPORT, reducedMotion: animated ? 'no-preference' : 'reduce' });
}

describe('The embeddable widget in Chromium [sqlite]', function () {
  this.timeout(60_000);
  const f = {} as Fixture;
  const contexts: BrowserContext[] = [];
  const context = async (animated = false) => {
    const c = await newContext(f, animated);
    contexts.push(c);
    return c;
  };

  before(async function () {
    this.timeout(120_000);
    f.browser = await useBrowser(this);
    f.api = await startApi('sqlite', this);
    f.host = await startHostSite();
    f.owner = await registerUser(f.api, 'Ada Lovelace');
    f.bo = await registerUser(f.api, 'Bo Diddley');
    const project = (await f.owner.client.post('/api/projects', { name: 'Launch plan', description: 'Everything for the Q3 launch' })).body;
    f.projectId = project.id;
    await f.owner.client.post(`/api/projects/${f.projectId}/members`, { email: f.bo.email, role: 'member' });
    f.roomId = (await f.owner.client.get(`/api/projects/${f.projectId}/rooms`)).body.items[0].id;
    const seed: [string, Record<string, unknown>][] = [
      ['Write the press release', { labels: ['marketing'], assigneeId: f.bo.id, dueAt: '2099-03-14T17:00:00Z' }],
      ['Fix the login redirect', { labels: ['bug', 'urgent'], dueAt: '2021-01-04T17:00:00Z', assigneeId: f.owner.id }],
      ['Pick the launch date', {}],
      ['Design the landing page', { status: 'doing', labels: ['design'], assigneeId: f.owner.id }],
      ['Set up CI', { status: 'done', labels: ['infra'] }],
    ];
    for (const [title, extra] of seed) {
      const reply = await f.owner.client.post(`/api/projects/${f.projectId}/tasks`, { title, ...extra });
      if (reply.status !== 201) throw new Error(`seed task: ${reply.status} ${JSON.stringify(reply.body)}`);
    }
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  after(async () => {
    await f.host?.close();
    await f.api?.stop();
  });

  it('opens from the launcher and shows the project\'s tasks in their columns', async () => {
    const page = await (await context()).newPage();
    const errors = collectErrors(page);
    await page.goto(f.host.page(hostHtml(f.api, `<taskwire-widget project="${f.projectId}" token="${f.owner.token}"></taskwire-widget>`)));
    await page.locator('taskwire-widget [part~="launcher"]').click();
    await card(page, 'Set up CI').waitFor({ timeout: 5000 });
    expect(await columnOf(page, 'Write the press release')).to.equal('todo');
    expect(await columnOf(page, 'Design the landing page')).to.equal('doing');
    expect(await columnOf(page, 'Set up CI')).to.equal('done');
    expect(await page.locator('taskwire-board .card').count()).to.equal(5);
    const late = card(page, 'Fix the login redirect');
    expect(await late.locator('.due.overdue').textContent()).to.match(/^Overdue/);
    expect(await late.locator('.label').allTextContents()).to.deep.equal(['bug', 'urgent']);
    expect(await late.locator('.avatar').textContent()).to.equal('AL');
    expect(await card(page, 'Write the press release').locator('.due.overdue').count()).to.equal(0);
    await screenshot(page, 'widget-board');
    expect(errors).to.deep.equal([]);
  });

  it('shows a task created over REST within 1 s, without a reload', async () => {
    const page = await openWidget(f, await context(), f.bo);
    const sent = Date.now();
    await f.owner.client.post(`/api/projects/${f.projectId}/tasks`, { title: 'Made over REST', labels: ['api'] });
    await card(page, 'Made over REST').waitFor({ timeout: 1000 });
    expect(Date.now() - sent).to.be.below(1000);
    expect(await columnOf(page, 'Made over REST')).to.equal('todo');
  });

  it('keeps a card dragged to another column after a reload, and moves it live in a second browser context', async () => {
    const [a, b] = [await openWidget(f, await context(), f.owner), await openWidget(f, await context(true), f.bo)];
    const errors = collectErrors(b);
    const title = 'Pick the launch date';
    await card(a, title).dragTo(column(a, 'doing').locator('.cards'));
    await card(b, title).locator('xpath=ancestor::section[@data-status="doing"]').waitFor({ timeout: 3000 });
    expect(await card(b, title).getAttribute('class'), 'a change from someone else is highlighted').to.include('flash');
    expect(await columnOf(a, title)).to.equal('doing');
    const tasks = (await f.owner.client.get(`/api/projects/${f.projectId}/tasks?status=doing`)).body.items as { title: string }[];
    expect(tasks.map((t) => t.title)).to.include(title);
    await a.reload();
    await card(a, title).waitFor();
    expect(await columnOf(a, title)).to.equal('doing');
    expect(errors).to.deep.equal([]);
  });

  it('moves a card by keyboard (Space, arrows, Space) and announces it, and Escape cancels', async () => {
    const page = await openWidget(f, await context(), f.owner);
    const title = 'Write the press release';
    await card(page, title).focus();
    await page.keyboard.press('Space');
    const live = page.locator('taskwire-board [aria-live]');
    expect(await live.textContent()).to.match(/^Picked up Write the press release/);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await live.textContent()).to.match(/^Done, position/);
    await page.keyboard.press('Escape');
    expect(await live.textContent()).to.match(/^Move cancelled/);
    expect(await columnOf(page, title)).to.equal('todo');

    await card(page, title).focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Space');
    expect(await live.textContent()).to.match(/^Dropped Write the press release in Doing, position 1/);
    const doing = async () => ((await f.owner.client.get(`/api/projects/${f.projectId}/tasks?status=doing`)).body.items as { title: string }[]).map((t) => t.title);
    for (let i = 0; i < 50 && (await doing())[0] !== title; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await doing())[0]).to.equal(title);
    expect(await page.locator('taskwire-board .column[data-status="doing"] .card').first().textContent()).to.include(title);
  });

  it('rolls an optimistic move back with a notice when someone else changed the task first (409)', async () => {
    const page = await openWidget(f, await context(), f.owner);
    const title = 'Set up CI';
    const task = ((await f.owner.client.get(`/api/projects/${f.projectId}/tasks?status=done`)).body.items as { id: string; title: string; version: number }[]).find((t) => t.title === title)!;
    // The other edit lands between the drop and the move request, so the page's version is stale.
    await page.route('**/move', async (route) => {
      await f.bo.client.patch(`/api/tasks/${task.id}`, { description: 'edited elsewhere', version: task.version });
      await route.continue();
    });
    await card(page, title).dragTo(column(page, 'todo').locator('.cards'));
    const notice = page.locator('taskwire-board [part~="notice"]');
    await notice.waitFor({ timeout: 3000 });
    expect(await notice.textContent()).to.include('changed by someone else');
    expect(await columnOf(page, title)).to.equal('done');
    expect((await f.owner.client.get(`/api/tasks/${task.id}`)).body.status).to.equal('done');
  });

  it('creates, edits and deletes a task from the board', async () => {
    const page = await openWidget(f, await context(), f.owner);
    await column(page, 'todo').locator('[part~="add-button"]').click();
    await column(page, 'todo').locator('.quick-add textarea').fill('Book the venue');
    await page.keyboard.press('Enter');
    await card(page, 'Book the venue').waitFor({ timeout: 3000 });
    await card(page, 'Book the venue').click();
    const editor = page.locator('taskwire-board [part~="editor"]');
    await editor.locator('input[name=title]').fill('Book the venue for June');
    await editor.locator('input[name=labels]').fill('events, budget');
    await editor.locator('select[name=assigneeId]').selectOption({ label: 'Bo Diddley' });
    await editor.locator('button[type=submit]').click();
    await editor.waitFor({ state: 'detached' });
    const edited = card(page, 'Book the venue for June');
    expect(await edited.locator('.label').allTextContents()).to.deep.equal(['events', 'budget']);
    expect(await edited.locator('.avatar').textContent()).to.equal('BD');
    const saved = ((await f.owner.client.get(`/api/projects/${f.projectId}/tasks?q=venue`)).body.items as { assigneeId: string; labels: string[] }[])[0]!;
    expect(saved).to.deep.include({ assigneeId: f.bo.id, labels: ['events', 'budget'] });
    await edited.click();
    await editor.locator('button.danger').click();
    await editor.locator('button.danger', { hasText: 'Really delete?' }).click();
    await edited.waitFor({ state: 'detached', timeout: 3000 });
    expect((await f.owner.client.get(`/api/projects/${f.projectId}/tasks?q=venue`)).body.items).to.deep.equal([]);
  });

  it('sends, edits and deletes its own messages, and offers nothing on others\'', async () => {
    await f.bo.client.post(`/api/rooms/${f.roomId}/messages`, { text: 'Morning! The draft is in https://docs.example.test/launch.' });
    const page = await openWidget(f, await context(), f.owner, { tab: 'chat' });
    await message(page, 'Morning!').waitFor();
    const composer = page.locator('taskwire-chat [part~="composer"] textarea');
    await composer.fill('Thanks Bo, reading it now');
    await composer.press('Enter');
    await message(page, 'Thanks Bo').waitFor({ timeout: 3000 });
    const mine = page.locator(`taskwire-chat .message[data-id="${await message(page, 'Thanks Bo').getAttribute('data-id')}"]`);

    await mine.hover();
    await mine.locator('.menu-button').click();
    await mine.locator('[role=menuitem]', { hasText: 'Edit' }).click();
    await mine.locator('.edit-form textarea').fill('Thanks Bo, looks great');
    await page.keyboard.press('Enter');
    await message(page, 'looks great').locator('.edited').waitFor({ timeout: 3000 });

    expect(await message(page, 'Morning!').locator('.menu-button').count(), 'no menu on someone else\'s message').to.equal(0);
    await screenshot(page, 'widget-chat');

    const edited = mine;
    await edited.hover();
    await edited.locator('.menu-button').click();
    await edited.locator('[role=menuitem]', { hasText: 'Delete' }).click();
    await page.locator('taskwire-chat .confirm-delete').click();
    await page.locator('taskwire-chat .message .tombstone', { hasText: 'message deleted' }).waitFor({ timeout: 3000 });
    const history = (await f.owner.client.get(`/api/rooms/${f.roomId}/messages`)).body.items as { text: string; deletedAt: string | null; editedAt: string | null }[];
    expect(history.filter((m) => m.deletedAt)).to.have.length(1);
    expect(history.some((m) => m.text.includes('looks great'))).to.equal(false);

    // The actions are reachable by keyboard too.
    await composer.fill('Typed, then fixed by keyboard');
    await composer.press('Enter');
    await message(page, 'Typed, then fixed').waitFor();
    const typed = page.locator(`taskwire-chat .message[data-id="${await message(page, 'Typed, then fixed').getAttribute('data-id')}"]`);
    await typed.locator('.menu-button').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await typed.locator('.edit-form textarea').waitFor();
    await page.keyboard.press('Escape');
    await typed.locator('.edit-form').waitFor({ state: 'detached' });
  });

  it('opens the room named by the `room` attribute, pages back by scrolling up, and shows members\' presence live', async () => {
    const room = (await f.owner.client.post(`/api/projects/${f.projectId}/rooms`, { name: 'random', topic: 'Anything goes' })).body;
    for (let i = 1; i <= 55; i++) await f.bo.client.post(`/api/rooms/${room.id}/messages`, { text: `Old message ${String(i).padStart(2, '0')}` });
    const page = await openWidget(f, await context(), f.owner, { tab: 'chat', room: 'random' });
    await message(page, 'Old message 55').waitFor();
    expect(await page.locator('taskwire-chat .room[aria-current="true"]').textContent()).to.include('random');
    expect(await page.locator('taskwire-chat .message').count()).to.equal(50);
    // Older pages load upward when the reader reaches the top.
    await page.locator('taskwire-chat .messages').evaluate((log) => (log.scrollTop = 0));
    await message(page, 'Old message 01').waitFor();
    const texts = (await page.locator('taskwire-chat .message .text').allTextContents()).map((t) => t.trim());
    expect(texts).to.deep.equal(Array.from({ length: 55 }, (_, i) => `Old message ${String(i + 1).padStart(2, '0')}`));
    expect(await page.locator('taskwire-chat .start').textContent()).to.include('start of #random');

    const dot = page.locator(`taskwire-chat .person[data-user="${f.bo.id}"] .dot`);
    expect(await dot.getAttribute('data-state')).to.equal('offline');
    const socket = await connectSocket(f.api.url, f.bo.token);
    try {
      await socket.subscribe(f.projectId);
      await socket.request('activity', { projectId: f.projectId });
      await page.locator(`taskwire-chat .person[data-user="${f.bo.id}"] .dot[data-state="active"]`).waitFor({ timeout: 3000 });
    } finally {
      socket.close();
    }
    await page.locator(`taskwire-chat .person[data-user="${f.bo.id}"] .dot[data-state="offline"]`).waitFor({ timeout: 8000 });
  });

  it('shows an XSS corpus as literal text and runs none of it', async () => {
    const corpus = [
      '<img src=x onerror="window.pwned = \'img\'">',
      '<script>window.pwned = "script"</script>',
      '<a href="javascript:window.pwned=\'link\'">click me</a>',
      'javascript:window.pwned="bare"',
      '*bold* <http://x|y> _under_ `code` <!here>',
      '<svg onload="window.pwned=\'svg\'"></svg><iframe src="javascript:window.pwned=1"></iframe>',
      '[click](javascript:window.pwned="md") and https://example.test/?q=<b>x</b>&a="1"',
    ];
    for (const text of corpus) await f.bo.client.post(`/api/rooms/${f.roomId}/messages`, { text });
    await f.bo.client.post(`/api/projects/${f.projectId}/tasks`, { title: '<img src=x onerror="window.pwned=\'task\'">', labels: ['<b>label</b>'] });

    const page = await (await context()).newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const errors = collectErrors(page);
    await page.goto(f.host.page(hostHtml(f.api, `<taskwire-widget project="${f.projectId}" token="${f.owner.token}" open tab="chat"></taskwire-widget>`)));
    await message(page, corpus.at(-1)!.slice(0, 20)).waitFor({ timeout: 5000 });
    const texts = await page.locator('taskwire-chat .message .text').allTextContents();
    for (const text of corpus) expect(texts, text).to.include(text);
    expect(await page.locator('taskwire-chat .message-list img, taskwire-chat .message-list script, taskwire-chat .message-list svg, taskwire-chat .message-list iframe').count()).to.equal(0);
    const hrefs = await page.locator('taskwire-chat .message-list a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.length).to.be.above(0);
    for (const href of hrefs) expect(href).to.match(/^https?:\/\//);

    await page.locator('taskwire-widget .tab', { hasText: 'Board' }).click();
    const xssCard = card(page, 'onerror');
    await xssCard.waitFor();
    expect(await xssCard.locator('.card-title').textContent()).to.equal('<img src=x onerror="window.pwned=\'task\'">');
    expect(await xssCard.locator('.label').textContent()).to.equal('<b>label</b>');
    expect(await page.locator('taskwire-board img').count()).to.equal(0);
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => (globalThis as { pwned?: unknown }).pwned)).to.equal(undefined);
    expect(dialogs).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
  });

  it('shows "reconnecting" while offline for 5 s, then every one of 50 changes, in order, without a reload', async function () {
    this.timeout(60_000);
    const ctx = await context();
    const page = await openWidget(f, ctx, f.owner);
    await page.evaluate(() => {
      const g = globalThis as unknown as { twStates: string[]; twMarker: number; document: { addEventListener(name: string, listener: (e: { detail: { state: string } }) => void): void } };
      g.twStates = [];
      g.twMarker = 42;
      g.document.addEventListener('taskwire-connection', (e) => g.twStates.push(e.detail.state));
    });
    const status = page.locator('taskwire-board [part~="status"]');
    await ctx.setOffline(true);
    await page.locator('taskwire-board [part~="status"][data-state="reconnecting"]').waitFor({ timeout: 3000 });
    const offlineAt = Date.now();
    for (let i = 1; i <= 50; i++) {
      const reply = await f.bo.client.post(`/api/projects/${f.projectId}/tasks`, { title: `Offline change ${String(i).padStart(2, '0')}`, status: 'done' });
      expect(reply.status).to.equal(201);
      await new Promise((resolve) => setTimeout(resolve, 80));
    }
    const left = 5000 - (Date.now() - offlineAt);
    if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
    expect(await status.getAttribute('data-state')).to.equal('reconnecting');
    expect(await card(page, 'Offline change 01').count(), 'nothing arrives while offline').to.equal(0);
    await ctx.setOffline(false);

    await page.locator('taskwire-board [part~="status"][data-state="resynced"]').waitFor({ timeout: 10_000 });
    const titles = (await page.locator('taskwire-board .column[data-status="done"] .card .card-title').allTextContents()).filter((t) => t.startsWith('Offline change'));
    expect(titles).to.deep.equal(Array.from({ length: 50 }, (_, i) => `Offline change ${String(i + 1).padStart(2, '0')}`));
    const states = await page.evaluate(() => (globalThis as unknown as { twStates: string[] }).twStates);
    expect(states[0]).to.equal('reconnecting');
    expect(states.at(-1)).to.equal('resynced');
    expect(await page.evaluate(() => (globalThis as unknown as { twMarker: number }).twMarker), 'the page was not reloaded').to.equal(42);
    const feed = (await f.owner.client.get(`/api/projects/${f.projectId}/changes?since=0&limit=1`)).body.lastSeq as number;
    const lastSeq = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const g = globalThis as unknown as { document: { addEventListener(name: string, listener: (e: { detail: { lastSeq: number } }) => void): void } };
          g.document.addEventListener('taskwire-connection', (e) => resolve(e.detail.lastSeq));
        }),
    );
    expect(lastSeq, 'the widget applied every change of the feed').to.equal(feed);
    await page.locator('taskwire-board [part~="status"][data-state="live"]').waitFor({ timeout: 1000 });
  });

  it('loads with two copies of the script on one page without errors', async () => {
    const page = await (await context()).newPage();
    const errors = collectErrors(page);
    await page.goto(f.host.page(hostHtml(f.api, `<taskwire-widget project="${f.projectId}" token="${f.owner.token}" open></taskwire-widget><taskwire-board project="${f.projectId}" token="${f.owner.token}" style="height:400px;display:block"></taskwire-board>`, 2)));
    await page.locator('taskwire-widget taskwire-board [part~="status"][data-state="live"]').waitFor({ timeout: 10_000 });
    await page.locator('body > taskwire-board .card').first().waitFor();
    expect(await page.locator('taskwire-widget .card').count()).to.be.above(0);
    expect(await page.evaluate(() => (globalThis as unknown as { performance: { getEntriesByType(t: string): { name: string }[] } }).performance.getEntriesByType('resource').filter((r) => r.name.includes('/widget.js')).length)).to.equal(2);
    expect(errors).to.deep.equal([]);
  });

  it('hides every write action from a viewer', async () => {
    const viewer = await registerUser(f.api, 'Vi Viewer');
    await f.owner.client.post(`/api/projects/${f.projectId}/members`, { email: viewer.email, role: 'viewer' });
    const page = await openWidget(f, await context(), viewer);
    await card(page, 'Set up CI').waitFor();
    expect(await page.locator('taskwire-board [part~="add-button"]').count()).to.equal(0);
    expect(await card(page, 'Set up CI').getAttribute('draggable')).to.equal('false');
    await card(page, 'Set up CI').click();
    const editor = page.locator('taskwire-board [part~="editor"]');
    expect(await editor.locator('button[type=submit]').count()).to.equal(0);
    expect(await editor.locator('button.danger').count()).to.equal(0);
    expect(await editor.locator('input[name=title]').isDisabled()).to.equal(true);
    await page.keyboard.press('Escape');
    await editor.waitFor({ state: 'detached' });
    await page.locator('taskwire-widget .tab', { hasText: 'Chat' }).click();
    await page.locator('taskwire-chat [part~="read-only"]').waitFor();
    expect(await page.locator('taskwire-chat [part~="composer"]').count()).to.equal(0);
    expect(await page.locator('taskwire-chat .menu-button').count()).to.equal(0);
  });
});

describe('The app page in Chromium [sqlite]', function () {
  this.timeout(60_000);
  let api: ApiServer;
  let browser: Browser;
  let ctx: BrowserContext;

  before(async function () {
    this.timeout(120_000);
    browser = await useBrowser(this);
    api = await startApi('sqlite', this);
  });
  after(async () => {
    await ctx?.close();
    await api?.stop();
  });

  it('signs up, creates a project, manages members, and works on the board and in the chat', async () => {
    const teammate = await registerUser(api, 'Grace Hopper');
    ctx = await browser.newContext({ viewport: { width: 1280, height: 820 }, reducedMotion: 'reduce' });
    const page = await ctx.newPage();
    const errors = collectErrors(page);
    await page.goto(`${api.url}/`);
    await page.locator('taskwire-app .auth-card').waitFor();
    await screenshot(page, 'app-sign-in');
    await page.locator('taskwire-app [role=tab]', { hasText: 'Create account' }).click();
    await page.locator('taskwire-app input[name=name]').fill('Linus Owner');
    await page.locator('taskwire-app input[name=email]').fill(`linus.${Date.now()}@example.test`);
    await page.locator('taskwire-app input[name=password]').fill('correct horse battery');
    await page.locator('taskwire-app .auth-card button.primary').click();

    await page.locator('taskwire-app #new-project').fill('Website relaunch');
    await page.locator('taskwire-app .new-project button').click();
    const board = page.locator('taskwire-app taskwire-board');
    await board.locator('[part~="status"][data-state="live"]').waitFor({ timeout: 10_000 });
    for (const title of ['Audit the old pages', 'Write the style guide', 'Migrate the blog']) {
      const add = board.locator('.column[data-status="todo"] [part~="add-button"]');
      if (await add.count()) await add.click();
      await board.locator('.column[data-status="todo"] .quick-add textarea').fill(title);
      await page.keyboard.press('Enter');
      await board.locator('.card', { hasText: title }).waitFor();
    }
    await board.locator('.card', { hasText: 'Audit the old pages' }).dragTo(board.locator('.column[data-status="doing"] .cards'));
    await board.locator('.column[data-status="doing"] .card', { hasText: 'Audit the old pages' }).waitFor();

    await page.locator('taskwire-app .tab', { hasText: 'Members' }).click();
    await page.locator('taskwire-app .invite input[name=email]').fill(teammate.email);
    await page.locator('taskwire-app .invite button').click();
    await page.locator('taskwire-app .members tr', { hasText: 'Grace Hopper' }).waitFor();
    await page.locator('taskwire-app .members tr', { hasText: 'Grace Hopper' }).locator('select').selectOption('admin');
    await page.locator('taskwire-app .flash', { hasText: 'now an admin' }).waitFor();
    await screenshot(page, 'app-members');
    const projectId = /#\/projects\/([^/]+)/.exec(page.url())![1]!;
    const members = (await teammate.client.get(`/api/projects/${projectId}/members`)).body.items as { name: string; role: string }[];
    expect(members.find((m) => m.name === 'Grace Hopper')?.role).to.equal('admin');

    await page.locator('taskwire-app .tab', { hasText: 'Board' }).click();
    await board.locator('.card', { hasText: 'Migrate the blog' }).waitFor();
    await screenshot(page, 'app-board');

    await page.locator('taskwire-app .tab', { hasText: 'Chat' }).click();
    const rooms = (await teammate.client.get(`/api/projects/${projectId}/rooms`)).body.items as { id: string }[];
    await teammate.client.post(`/api/rooms/${rooms[0]!.id}/messages`, { text: 'Happy to help with the style guide. Notes: https://example.test/style' });
    const chat = page.locator('taskwire-app taskwire-chat');
    await chat.locator('.message', { hasText: 'Happy to help' }).waitFor({ timeout: 5000 });
    await chat.locator('[part~="composer"] textarea').fill('Great, I put the tasks on the board.');
    await page.keyboard.press('Enter');
    await chat.locator('.message', { hasText: 'I put the tasks' }).waitFor();
    await screenshot(page, 'app-chat');

    await page.locator('taskwire-app .tab', { hasText: 'Embed' }).click();
    await page.locator('taskwire-app #embed-tokens').waitFor();
    expect(await page.locator('taskwire-app #embed-tokens pre').textContent()).to.include(`${api.url}/widget.js`);
    expect(errors).to.deep.equal([]);
  });
});
