// Nothing typed into the board is lost, in Chromium: quick-add keeps its title
// until the server took it, a 302-character paste is kept whole and refused
// with a sentence and a counter over the 200-character limit (nothing sent), a
// blank title gets a sentence, a task that could not be added stays as a card
// marked "Not added" with Retry and Discard (and the field offers Retry), and
// the task editor keeps its edits when a save or a create fails, saying why.

import { expect } from 'chai';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { registerUser, startApi, type ApiServer, type TestUser } from '../support/api.js';
import { startHostSite, useBrowser, type HostSite } from '../support/browser.js';

const field = (page: Page): Locator => page.locator('taskwire-board .quick-add textarea');

const openAdd = async (page: Page, status = 'todo'): Promise<void> => {
  await page.locator(`taskwire-board .column[data-status="${status}"] [part~="add-button"]`).click();
  await field(page).waitFor();
};

const until = async (check: () => Promise<boolean>): Promise<void> => {
  for (let i = 0; i < 50 && !(await check()); i++) await new Promise((r) => setTimeout(r, 100));
};

describe('Typing into the board: limits said where people type, nothing lost, in Chromium [sqlite]', function () {
  this.timeout(60_000);
  let api: ApiServer;
  let browser: Browser;
  let host: HostSite;
  let owner: TestUser;
  let projectId: string;
  const contexts: BrowserContext[] = [];

  const open = async (options: { token?: string; prepare?: (context: BrowserContext) => Promise<void> } = {}): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1180, height: 820 }, reducedMotion: 'reduce' });
    contexts.push(context);
    await options.prepare?.(context);
    const page = await context.newPage();
    await page.goto(
      host.page(`<!doctype html><html lang="en"><head><meta charset="utf-8" /><title>Typing</title><link rel="icon" href="data:," />
<script type="module" src="${api.url}/widget.js"></script></head>
<body style="margin:0"><taskwire-board project="${projectId}" token="${options.token ?? owner.token}" style="height:760px;display:block"></taskwire-board></body></html>`),
    );
    await page.locator('taskwire-board [part~="status"][data-state="live"]').waitFor({ timeout: 10_000 });
    return page;
  };
  const titles = async (): Promise<string[]> => (await owner.client.get(`/api/projects/${projectId}/tasks?limit=100`)).body.items.map((t: { title: string }) => t.title);

  before(async function () {
    this.timeout(120_000);
    browser = await useBrowser(this);
    api = await startApi('sqlite', this);
    host = await startHostSite();
    owner = await registerUser(api, 'Ada Lovelace');
    projectId = (await owner.client.post('/api/projects', { name: 'Typing' })).body.id;
    await owner.client.post(`/api/projects/${projectId}/tasks`, { title: 'Edit me', status: 'doing' });
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  after(async () => {
    await host?.close();
    await api?.stop();
  });

  it('shows a counter near the 200-character limit, keeps a 302-character paste whole and refuses it with a sentence, and says so for a blank title', async () => {
    const page = await open();
    await openAdd(page);
    const counter = page.locator('taskwire-board .quick-add [part~="counter"]');
    await field(page).fill('x'.repeat(150));
    expect(await counter.count(), 'no counter far from the limit').to.equal(0);
    await field(page).fill('x'.repeat(170));
    expect(await counter.textContent()).to.equal('170 / 200');
    await field(page).fill('y'.repeat(302));
    expect(await field(page).inputValue(), 'never cut').to.have.length(302);
    expect(await counter.textContent()).to.equal('302 / 200');
    expect(await counter.getAttribute('class')).to.include('over');
    await field(page).press('Enter');
    await page.locator('taskwire-board .quick-add .refusal', { hasText: 'The title is 302 characters long; the limit is 200. Shorten it by 102.' }).waitFor();
    expect(await field(page).inputValue()).to.have.length(302);
    expect(await titles(), 'nothing was sent').to.deep.equal(['Edit me']);

    await field(page).fill('   ');
    await field(page).press('Enter');
    await page.locator('taskwire-board .quick-add .refusal', { hasText: 'The title cannot be empty or only spaces' }).waitFor();
    expect(await titles()).to.deep.equal(['Edit me']);

    await field(page).fill('A fine title');
    await field(page).press('Enter');
    await page.locator('taskwire-board .card[data-id]', { hasText: 'A fine title' }).waitFor();
    // The live push may show the card before the POST's answer clears the field.
    await until(async () => (await field(page).inputValue()) === '');
    expect(await field(page).inputValue(), 'cleared once the server took it').to.equal('');
    expect(await page.locator('taskwire-board .quick-add .refusal').count()).to.equal(0);
  });

  it('keeps a quick-added title while the server cannot be reached: a "Not added" card with Retry and Discard, and Retry by the field', async () => {
    const page = await open();
    await openAdd(page);
    await page.context().setOffline(true);
    await field(page).fill('Written offline');
    await field(page).press('Enter');
    const failed = page.locator('taskwire-board .pending.failed', { hasText: 'Written offline' });
    await failed.waitFor();
    expect(await failed.textContent()).to.include('Not added');
    await page.locator('taskwire-board .quick-add .refusal', { hasText: 'Taskwire could not be reached, so the task was not added.' }).waitFor();
    expect(await field(page).inputValue(), 'kept in the field').to.equal('Written offline');

    // A second one, discarded.
    await field(page).fill('Not wanted after all');
    await field(page).press('Enter');
    const unwanted = page.locator('taskwire-board .pending.failed', { hasText: 'Not wanted after all' });
    await unwanted.waitFor();
    await unwanted.getByRole('button', { name: 'Discard' }).click();
    await unwanted.waitFor({ state: 'detached' });

    await page.context().setOffline(false);
    await failed.getByRole('button', { name: 'Retry' }).click();
    await page.locator('taskwire-board .card[data-id]', { hasText: 'Written offline' }).waitFor();
    await failed.waitFor({ state: 'detached' });
    await until(async () => (await titles()).includes('Written offline'));
    expect(await titles()).to.include('Written offline').and.not.include('Not wanted after all');

    // Retry by the field: the title stays there until the server took it.
    await page.context().setOffline(true);
    await field(page).fill('Second try');
    await field(page).press('Enter');
    const retry = page.locator('taskwire-board .quick-add').getByRole('button', { name: 'Retry' });
    await retry.waitFor();
    await page.context().setOffline(false);
    await retry.click();
    await page.locator('taskwire-board .card[data-id]', { hasText: 'Second try' }).waitFor();
    await until(async () => (await field(page).inputValue()) === '');
    expect(await field(page).inputValue()).to.equal('');
  });

  it('keeps a quick-added title the server refuses (write access lost a moment ago): "Not added", with the server\'s reason', async () => {
    const member = await registerUser(api, 'Mo Member');
    expect((await owner.client.post(`/api/projects/${projectId}/members`, { email: member.email, role: 'member' })).status).to.equal(201);
    let holding = false;
    const page = await open({
      token: member.token,
      // The live push is held back, as on a slow network: the board has not heard of the new role when the title goes out.
      prepare: (context) =>
        context.routeWebSocket(/socket\.io/, (ws) => {
          const server = ws.connectToServer();
          server.onMessage((message) => {
            if (!holding) ws.send(message);
          });
          ws.onMessage((message) => server.send(message));
        }),
    });
    await openAdd(page);
    holding = true;
    expect((await owner.client.patch(`/api/projects/${projectId}/members/${member.id}`, { role: 'viewer' })).status).to.equal(200);
    await field(page).fill('Sent too late');
    await field(page).press('Enter');
    const failed = page.locator('taskwire-board .pending.failed', { hasText: 'Sent too late' });
    await failed.waitFor();
    expect(await failed.textContent()).to.include('Not added');
    const refusal = page.locator('taskwire-board .quick-add .refusal');
    await refusal.waitFor();
    expect(await refusal.textContent()).to.equal('Taskwire refused this task: Your role (viewer) does not allow adding or changing tasks; that takes the member role or above, which a project admin can give you.');
    expect(await refusal.textContent(), 'not the offline sentence').to.not.include('could not be reached');
    expect(await field(page).inputValue(), 'kept in the field').to.equal('Sent too late');
    expect(await titles()).to.not.include('Sent too late');
  });

  it('keeps the editor\'s edits when saving or creating fails, and says why', async () => {
    const page = await open();
    await page.locator('taskwire-board .card', { hasText: 'Edit me' }).click();
    const title = page.locator('taskwire-board .editor input[name="title"]');
    await title.waitFor();
    await page.context().setOffline(true);
    await title.fill('Edited while offline');
    await page.locator('taskwire-board .editor textarea[name="description"]').fill('Some notes');
    await page.locator('taskwire-board .editor .btn.primary').click();
    await page.locator('taskwire-board .editor .error', { hasText: 'Taskwire could not be reached, so nothing was saved. Your changes are kept here' }).waitFor();
    expect(await title.inputValue()).to.equal('Edited while offline');
    expect(await page.locator('taskwire-board .editor textarea[name="description"]').inputValue()).to.equal('Some notes');
    await page.context().setOffline(false);
    await page.locator('taskwire-board .editor .btn.primary').click();
    await page.locator('taskwire-board .editor').waitFor({ state: 'detached' });
    await until(async () => (await titles()).includes('Edited while offline'));
    expect(await titles()).to.include('Edited while offline');

    // A new task from the editor: a 302-character title is refused there too, and a failed create keeps the form.
    await page.locator('taskwire-board .column[data-status="todo"] [part~="add-button"]').click();
    await page.locator('taskwire-board .quick-add').getByRole('button', { name: 'Details…' }).click();
    await title.waitFor();
    await title.fill('z'.repeat(302));
    expect(await title.inputValue()).to.have.length(302);
    expect(await page.locator('taskwire-board .editor [part~="counter"]').textContent()).to.equal('302 / 200');
    await page.locator('taskwire-board .editor .btn.primary').click();
    await page.locator('taskwire-board .editor .error', { hasText: 'The title is 302 characters long; the limit is 200. Shorten it by 102.' }).waitFor();
    await title.fill('Made in the editor');
    await page.context().setOffline(true);
    await page.locator('taskwire-board .editor .btn.primary').click();
    await page.locator('taskwire-board .editor .error', { hasText: 'could not be reached' }).waitFor();
    expect(await title.inputValue()).to.equal('Made in the editor');
    await page.context().setOffline(false);
    await page.locator('taskwire-board .editor .btn.primary').click();
    await page.locator('taskwire-board .card[data-id]', { hasText: 'Made in the editor' }).waitFor();
  });
});
