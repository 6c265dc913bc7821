// People and projects on the app page in a real Chromium: being added to a
// project, a role change and a removal show in the open page without a reload
// (the per-user `membership` event); the Members tab says one clear thing about
// an address already invited and offers the sole owner no Leave, only why;
// the "New project" form counts and refuses in sentences instead of cutting a
// long name or ignoring a blank one; and at 390 × 844 the project list waits
// behind a menu button.

import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { registerUser, startApi, type ApiServer, type TestUser } from '../support/api.js';
import { collectErrors, screenshot, useBrowser } from '../support/browser.js';

const DESKTOP = { width: 1280, height: 820 };
const PHONE = { width: 390, height: 844 };

const project = (page: Page, name: string) => page.locator('taskwire-app .projects .project', { hasText: name });

describe('People and projects live on the app page, in Chromium [sqlite]', function () {
  this.timeout(60_000);
  let api: ApiServer;
  let browser: Browser;
  let owner: TestUser;
  const contexts: BrowserContext[] = [];

  /** The app page signed in as `user`, on `hash`. */
  const open = async (user: TestUser, hash = '', viewport = DESKTOP): Promise<Page> => {
    const context = await browser.newContext({ viewport, reducedMotion: 'reduce' });
    contexts.push(context);
    await context.addInitScript((session) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('taskwire.session', session), user.token);
    const page = await context.newPage();
    await page.goto(`${api.url}/${hash}`);
    await page.locator('taskwire-app .topbar').waitFor();
    return page;
  };

  before(async function () {
    this.timeout(120_000);
    browser = await useBrowser(this);
    api = await startApi('sqlite', this);
    owner = await registerUser(api, 'Olga Owner');
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  after(async () => {
    await api?.stop();
  });

  it('shows a project one is added to, a new role and a removal without a reload', async () => {
    const bo = await registerUser(api, 'Bo Live');
    const projectId = (await owner.client.post('/api/projects', { name: 'Harbour' })).body.id as string;
    const page = await open(bo);
    const errors = collectErrors(page);
    await page.locator('taskwire-app .welcome').waitFor();
    expect(await project(page, 'Harbour').count()).to.equal(0);

    await owner.client.post(`/api/projects/${projectId}/members`, { email: bo.email, role: 'viewer' });
    await project(page, 'Harbour').waitFor({ timeout: 3000 });
    expect(await project(page, 'Harbour').locator('.role').textContent()).to.equal('viewer');
    await page.locator('taskwire-app .flash', { hasText: 'You were added to Harbour as viewer.' }).waitFor();

    await owner.client.patch(`/api/projects/${projectId}/members/${bo.id}`, { role: 'admin' });
    await project(page, 'Harbour').locator('.role', { hasText: 'admin' }).waitFor({ timeout: 3000 });

    await project(page, 'Harbour').click();
    await page.locator('taskwire-app taskwire-board').waitFor();
    await owner.client.delete(`/api/projects/${projectId}/members/${bo.id}`);
    await page.locator('taskwire-app .not-yours', { hasText: 'This project is not among yours' }).waitFor({ timeout: 3000 });
    expect(await project(page, 'Harbour').count()).to.equal(0);
    expect(errors).to.deep.equal([]);
  });

  it('says once that an address is already invited, and offers the sole owner no Leave but the reason', async () => {
    const projectId = (await owner.client.post('/api/projects', { name: 'Solo' })).body.id as string;
    const page = await open(owner, `#/projects/${projectId}/members`);
    const row = page.locator(`taskwire-app .members tr[data-user="${owner.id}"]`);
    await row.waitFor();
    expect(await row.locator('button', { hasText: 'Leave' }).count()).to.equal(0);
    expect(await row.locator('.sole-owner').textContent()).to.equal('You are the only owner: make someone else owner before you can leave.');

    const invite = async (email: string) => {
      await page.locator('taskwire-app .invite input[name=email]').fill(email);
      await page.locator('taskwire-app .invite button').click();
    };
    await invite('newcomer@example.test');
    await page.locator('taskwire-app .flash', { hasText: 'newcomer@example.test' }).waitFor();
    await invite('newcomer@example.test');
    const refusal = page.locator('taskwire-app taskwire-members .error');
    await refusal.waitFor();
    expect(await refusal.textContent()).to.equal('newcomer@example.test is already invited; use Resend under Pending invites to mail a new link.');
    expect(await page.locator('taskwire-app taskwire-members .flash').count(), 'one message, not two').to.equal(0);
  });

  it('counts and refuses a long or blank project name with a sentence; nothing is cut or silently ignored', async () => {
    const page = await open(owner);
    const field = page.locator('taskwire-app #new-project');
    const before = (await owner.client.get('/api/projects')).body.items.length;
    await field.fill('p'.repeat(302));
    expect(await field.inputValue(), 'never cut').to.have.length(302);
    expect(await page.locator('taskwire-app .new-project .counter').textContent()).to.equal('302 / 100');
    await page.locator('taskwire-app .new-project button').click();
    await page.locator('taskwire-app .new-project .refusal', { hasText: 'The project name is 302 characters long; the limit is 100. Shorten it by 202.' }).waitFor();
    await field.fill('   ');
    await page.locator('taskwire-app .new-project button').click();
    await page.locator('taskwire-app .new-project .refusal', { hasText: 'The project name cannot be empty or only spaces.' }).waitFor();
    expect((await owner.client.get('/api/projects')).body.items.length).to.equal(before);
  });

  it('puts the project list behind a menu button at 390 × 844', async () => {
    await owner.client.post('/api/projects', { name: 'Pocket' });
    const page = await open(owner, '', PHONE);
    await page.locator('taskwire-app taskwire-board').waitFor();
    const sidebar = page.locator('taskwire-app nav.sidebar');
    expect(await sidebar.isVisible(), 'the list is not on the first screen').to.equal(false);
    const board = await page.locator('taskwire-app .content').boundingBox();
    expect(board!.y, 'the content starts under the header').to.be.below(60);
    const menu = page.locator('taskwire-app .menu-button');
    expect(await menu.getAttribute('aria-expanded')).to.equal('false');
    await menu.click();
    await sidebar.waitFor({ state: 'visible' });
    expect(await menu.getAttribute('aria-expanded')).to.equal('true');
    await screenshot(page, 'app-phone-menu');
    await project(page, 'Pocket').click();
    await sidebar.waitFor({ state: 'hidden' });
  });
});
