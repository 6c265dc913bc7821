// The chat in a real Chromium, embedded in a page of another origin (the
// widget opened from its launcher) and in the app page: it opens on the newest
// message and follows it, also after sending; a reader who scrolled up gets a
// "new messages" pill instead; older pages load upward without moving what is
// on screen; nothing typed is lost (a refusal or a failed send keeps the text,
// with a sentence and Retry); `/task help` is answered to its author only;
// others' presence reads "unknown" while this page is offline; the toast never
// covers the composer.

import { expect } from 'chai';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { registerUser, startApi, type ApiServer, type TestUser } from '../support/api.js';
import { collectErrors, startHostSite, useBrowser, type HostSite } from '../support/browser.js';
import { connectSocket } from '../support/socket.js';

const VIEWPORT = { width: 1180, height: 820 };

function hostHtml(api: ApiServer, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8" /><title>Host</title><link rel="icon" href="data:," />
  <script type="module" src="${api.url}/widget.js"></script></head><body><p>Host page</p>${body}</body></html>`;
}

/** How far the log is from its newest end, in pixels (0: at the end). */
const fromEnd = (page: Page, root = 'taskwire-chat'): Promise<number> =>
  page.locator(`${root} .messages`).evaluate((log) => Math.round(log.scrollHeight - log.scrollTop - log.clientHeight));

const waitAtEnd = async (page: Page, root = 'taskwire-chat'): Promise<void> => {
  const deadline = Date.now() + 5000;
  let distance = await fromEnd(page, root);
  while (distance >= 4 && Date.now() < deadline) {
    await page.waitForTimeout(50);
    distance = await fromEnd(page, root);
  }
  expect(distance, 'pixels from the newest message').to.be.below(4);
};

/** Waits (up to 5 s) for the composer to empty: the live push may show the message before the POST's answer clears it. */
const emptied = async (composer: Locator): Promise<void> => {
  for (let i = 0; i < 50 && (await composer.inputValue()) !== ''; i++) await new Promise((resolve) => setTimeout(resolve, 100));
};

describe('Chat that follows the newest message, in Chromium [sqlite]', function () {
  this.timeout(60_000);
  let api: ApiServer;
  let browser: Browser;
  let host: HostSite;
  let owner: TestUser;
  let bo: TestUser;
  let projectId: string;
  let roomId: string;
  const contexts: BrowserContext[] = [];

  const open = async (user: TestUser): Promise<Page> => {
    const context = await browser.newContext({ viewport: VIEWPORT, reducedMotion: 'reduce' });
    contexts.push(context);
    const page = await context.newPage();
    // Opened on the board: the chat loads hidden and is laid out only when its tab is chosen (the case that
    // opened at the oldest message and stayed there).
    await page.goto(host.page(hostHtml(api, `<taskwire-widget project="${projectId}" token="${user.token}"></taskwire-widget>`)));
    await page.locator('taskwire-widget [part~="launcher"]').click();
    await page.locator('taskwire-chat [part~="status"][data-state="live"]').waitFor({ state: 'attached', timeout: 10_000 });
    await page.locator('taskwire-chat .message', { hasText: 'Line 80' }).waitFor({ state: 'attached' });
    await page.locator('taskwire-widget .tab', { hasText: 'Chat' }).click();
    await page.locator('taskwire-chat [part~="status"][data-state="live"]').waitFor();
    return page;
  };

  before(async function () {
    this.timeout(120_000);
    browser = await useBrowser(this);
    api = await startApi('sqlite', this);
    host = await startHostSite();
    owner = await registerUser(api, 'Ada Lovelace');
    bo = await registerUser(api, 'Bo Diddley');
    projectId = (await owner.client.post('/api/projects', { name: 'Follow' })).body.id;
    await owner.client.post(`/api/projects/${projectId}/members`, { email: bo.email, role: 'member' });
    roomId = (await owner.client.get(`/api/projects/${projectId}/rooms`)).body.items[0].id;
    for (let i = 1; i <= 80; i++) await bo.client.post(`/api/rooms/${roomId}/messages`, { text: `Line ${String(i).padStart(2, '0')}` });
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  after(async () => {
    await host?.close();
    await api?.stop();
  });

  it('opens the embedded chat on the newest message and keeps following it, also after sending its own', async () => {
    const page = await open(owner);
    const errors = collectErrors(page);
    await page.locator('taskwire-chat .message', { hasText: 'Line 80' }).waitFor();
    await waitAtEnd(page);
    await bo.client.post(`/api/rooms/${roomId}/messages`, { text: 'Someone else, live' });
    await page.locator('taskwire-chat .message', { hasText: 'Someone else, live' }).waitFor();
    await waitAtEnd(page);
    const composer = page.locator('taskwire-chat [part~="composer"] textarea');
    await composer.fill('My own message');
    await composer.press('Enter');
    await page.locator('taskwire-chat .message.own', { hasText: 'My own message' }).waitFor();
    await waitAtEnd(page);
    await emptied(composer);
    expect(await composer.inputValue()).to.equal('');
    expect(errors).to.deep.equal([]);
  });

  it('shows a "new messages" pill to a reader who scrolled up, jumps down with it, and loads older pages upward in place', async () => {
    const page = await open(owner);
    await page.locator('taskwire-chat .message', { hasText: 'Line 80' }).waitFor();
    await waitAtEnd(page);
    expect(await page.locator('taskwire-chat .message').count()).to.be.below(82);
    // Scroll up a little: not at the end any more, not at the top either.
    await page.locator('taskwire-chat .messages').evaluate((log) => (log.scrollTop = log.scrollHeight / 2));
    await page.waitForTimeout(100);
    const before = await fromEnd(page);
    await bo.client.post(`/api/rooms/${roomId}/messages`, { text: 'While you were reading' });
    const pill = page.locator('taskwire-chat [part~="new-messages"]');
    await pill.waitFor({ timeout: 3000 });
    expect(await fromEnd(page)).to.be.above(before - 1);
    await pill.click();
    await waitAtEnd(page);
    await pill.waitFor({ state: 'detached' });

    // At the top the next older page comes in above, and the message that was first stays where it was.
    const first = page.locator('taskwire-chat .message').first();
    const firstId = await first.getAttribute('data-id');
    await page.locator('taskwire-chat .messages').evaluate((log) => (log.scrollTop = 0));
    await page.locator('taskwire-chat .message', { hasText: 'Line 01' }).waitFor({ timeout: 5000 });
    const kept = page.locator(`taskwire-chat .message[data-id="${firstId}"]`);
    const box = await kept.boundingBox();
    const log = await page.locator('taskwire-chat .messages').boundingBox();
    expect(box!.y, 'the former first message is still on screen').to.be.within(log!.y - box!.height, log!.y + log!.height);
    await page.locator('taskwire-chat .start', { hasText: 'This is the start of #general' }).waitFor();
  });

  it('keeps what was typed: a message over 4,000 characters is refused with a sentence, a failed send offers Retry', async () => {
    const page = await open(owner);
    const composer = page.locator('taskwire-chat [part~="composer"] textarea');
    const long = 'x'.repeat(4302);
    await composer.fill(long);
    expect(await composer.inputValue(), 'never cut').to.have.length(4302);
    expect(await page.locator('taskwire-chat [part~="counter"]').textContent()).to.equal('4302 / 4000');
    await composer.press('Enter');
    await page.locator('taskwire-chat [part~="send-error"]', { hasText: 'The message is 4302 characters long; the limit is 4000. Shorten it by 302.' }).waitFor();
    expect(await composer.inputValue()).to.have.length(4302);

    await page.route('**/api/rooms/*/messages', (route) => (route.request().method() === 'POST' ? route.abort('failed') : route.continue()));
    await composer.fill('Important, do not lose me');
    await composer.press('Enter');
    const failed = page.locator('taskwire-chat [part~="send-error"]', { hasText: 'Not sent' });
    await failed.waitFor();
    expect(await composer.inputValue()).to.equal('Important, do not lose me');
    await page.unroute('**/api/rooms/*/messages');
    await failed.locator('button', { hasText: 'Retry' }).click();
    await page.locator('taskwire-chat .message.own', { hasText: 'Important, do not lose me' }).waitFor();
    await emptied(composer);
    expect(await composer.inputValue()).to.equal('');
    await failed.waitFor({ state: 'detached' });
  });

  it('answers /task help and list to their author only, with column names; nothing reaches the other reader', async () => {
    await owner.client.post(`/api/projects/${projectId}/tasks`, { title: 'Paint the fence', status: 'doing' });
    const [mine, theirs] = [await open(owner), await open(bo)];
    const composer = mine.locator('taskwire-chat [part~="composer"] textarea');
    await composer.fill('/task help');
    await composer.press('Enter');
    const reply = mine.locator('taskwire-chat [part~="command-reply"]');
    await reply.waitFor();
    expect(await reply.textContent()).to.include('Only you can see this').and.to.include('/task add <title>');
    await composer.fill('/task list');
    await composer.press('Enter');
    await mine.locator('taskwire-chat [part~="command-reply"]', { hasText: 'Paint the fence (Doing)' }).waitFor();
    await waitAtEnd(mine);

    await theirs.locator('taskwire-chat .message', { hasText: '/task list' }).waitFor();
    await theirs.waitForTimeout(300);
    expect(await theirs.locator('taskwire-chat [part~="command-reply"]').count()).to.equal(0);
    expect(await theirs.locator('taskwire-chat .message', { hasText: '/task add <title>' }).count()).to.equal(0);
  });

  it('shows others\' presence as "unknown" while this page is offline, and the toast clear of the composer', async () => {
    const socket = await connectSocket(api.url, bo.token);
    try {
      await socket.subscribe(projectId);
      await socket.request('activity', { projectId });
      const page = await open(owner);
      const dot = page.locator(`taskwire-chat .person[data-user="${bo.id}"] .dot`);
      await page.locator(`taskwire-chat .person[data-user="${bo.id}"] .dot[data-state="active"]`).waitFor({ timeout: 5000 });
      await page.context().setOffline(true);
      await page.locator(`taskwire-chat .person[data-user="${bo.id}"] .dot[data-state="unknown"]`).waitFor({ timeout: 8000 });
      expect(await dot.getAttribute('title')).to.equal('unknown');
      await page.context().setOffline(false);
      await page.locator(`taskwire-chat .person[data-user="${bo.id}"] .dot[data-state="active"]`).waitFor({ timeout: 10_000 });

      // An edit over the limit is refused in the toast; the toast and the composer do not overlap.
      const composer = page.locator('taskwire-chat [part~="composer"] textarea');
      await composer.fill('Short and sweet');
      await composer.press('Enter');
      const sent = page.locator('taskwire-chat .message.own', { hasText: 'Short and sweet' });
      // By id: while it is edited, its text is the editor's value, not text content.
      const own = page.locator(`taskwire-chat .message[data-id="${await sent.getAttribute('data-id')}"]`);
      await own.hover();
      await own.locator('.menu-button').click();
      await own.locator('[role=menuitem]', { hasText: 'Edit' }).click();
      await own.locator('.edit-form textarea').fill('y'.repeat(4010));
      await page.keyboard.press('Enter');
      const toast = page.locator('taskwire-chat [part~="notice"]');
      await toast.waitFor();
      expect(await toast.textContent()).to.equal('The message is 4010 characters long; the limit is 4000. Shorten it by 10.');
      const [a, b] = [await toast.boundingBox(), await page.locator('taskwire-chat [part~="composer"]').boundingBox()];
      expect(a!.y + a!.height <= b!.y || b!.y + b!.height <= a!.y, 'the toast does not cover the composer').to.equal(true);
    } finally {
      socket.close();
    }
  });

  it('says so, with a way out, when the chat cannot be fetched (a server updated under an open page)', async () => {
    const context = await browser.newContext({ viewport: VIEWPORT, reducedMotion: 'reduce' });
    contexts.push(context);
    const page = await context.newPage();
    await page.route('**/widget-chunks/chat-*.js', (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.goto(host.page(hostHtml(api, `<taskwire-widget project="${projectId}" token="${owner.token}"></taskwire-widget>`)));
    await page.locator('taskwire-widget [part~="launcher"]').click();
    await page.locator('taskwire-widget .tab', { hasText: 'Chat' }).click();
    const alert = page.locator('taskwire-widget taskwire-chat [role="alert"]');
    await alert.waitFor({ timeout: 10_000 });
    expect(await alert.textContent()).to.contain('The chat could not be loaded');
    expect(await alert.locator('button', { hasText: 'Reload the page' }).isVisible()).to.equal(true);
    // The board beside it is unaffected.
    await page.locator('taskwire-widget .tab', { hasText: 'Board' }).click();
    await page.locator('taskwire-board [part~="status"][data-state="live"]').waitFor({ timeout: 10_000 });
  });
});
