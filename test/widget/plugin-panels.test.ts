// Plugin panels in the board's task editor, end to end: the built-in
// time-tracking plugin's panel, loaded by the widget embedded on another
// origin, writing through the plugin's routes and following live changes.

import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { registerUser, startApi, type ApiServer, type TestUser } from '../support/api.js';
import { collectErrors, startHostSite, useBrowser, type HostSite } from '../support/browser.js';

const TAG = 'taskwire-time-tracking';
const editor = (page: Page) => page.locator('taskwire-board [part~="editor"]');
const panel = (page: Page) => editor(page).locator(`[part~="plugin-panel"][data-plugin="time-tracking"] ${TAG}`);
const openTask = async (page: Page, title: string) => {
  await page.locator('taskwire-board .card', { hasText: title }).click();
  await editor(page).waitFor();
};
/** Runs `body` with the open editor's panel element. */
const onPanel = <T>(page: Page, body: string): Promise<T> =>
  page.evaluate(`(async (panel) => { ${body} })(document.querySelector('taskwire-board').shadowRoot.querySelector('${TAG}'))`) as Promise<T>;

describe('Plugin panels in the task editor, in Chromium [sqlite]', function () {
  this.timeout(60_000);
  let api: ApiServer;
  let browser: Browser;
  let host: HostSite;
  let owner: TestUser;
  let member: TestUser;
  let viewer: TestUser;
  let projectId: string;
  let generalId: string;
  const tasks: Record<string, { id: string; number: number }> = {};
  const contexts: BrowserContext[] = [];

  before(async function () {
    this.timeout(120_000);
    browser = await useBrowser(this);
    api = await startApi('sqlite', this);
    host = await startHostSite();
    owner = await registerUser(api, 'Tess Owner');
    // A name with markup: the panel must show it as text.
    member = await registerUser(api, 'Ana');
    expect((await member.client.patch('/api/me', { name: '<b>Ana</b>' })).status).to.equal(200);
    viewer = await registerUser(api, 'Vic Viewer');
    projectId = (await owner.client.post('/api/projects', { name: 'Timed work' })).body.id;
    generalId = (await owner.client.get(`/api/projects/${projectId}/rooms`)).body.items[0].id;
    await owner.client.post(`/api/projects/${projectId}/members`, { email: member.email, role: 'member' });
    await owner.client.post(`/api/projects/${projectId}/members`, { email: viewer.email, role: 'viewer' });
    for (const title of ['Write the report', 'Review the budget']) {
      const reply = await owner.client.post(`/api/projects/${projectId}/tasks`, { title });
      if (reply.status !== 201) throw new Error(`seed task: ${reply.status} ${JSON.stringify(reply.body)}`);
      tasks[title] = { id: reply.body.id, number: reply.body.number };
    }
    const enabled = await owner.client.request('PUT', `/api/projects/${projectId}/plugins/time-tracking`, { enabled: true });
    if (enabled.status !== 200) throw new Error(`enable: ${enabled.status} ${JSON.stringify(enabled.body)}`);
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  after(async () => {
    await host?.close();
    await api?.stop();
  });

  async function openBoard(user: TestUser): Promise<{ page: Page; panelLoads: () => number }> {
    const context = await browser.newContext({ viewport: { width: 1180, height: 820 }, reducedMotion: 'reduce' });
    contexts.push(context);
    const page = await context.newPage();
    let loads = 0;
    page.on('request', (request) => void (request.url() === `${api.url}/plugins/time-tracking/panel.js` && loads++));
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8" /><link rel="icon" href="data:," />
      <script type="module" src="${api.url}/widget.js"></script></head>
      <body><taskwire-board project="${projectId}" token="${user.token}" style="height:600px;display:block"></taskwire-board></body></html>`;
    await page.goto(host.page(html));
    await page.locator('taskwire-board [part~="status"][data-state="live"]').waitFor({ timeout: 10_000 });
    return { page, panelLoads: () => loads };
  }

  it('shows the time-tracking panel for an enabled project; its timer, log and live updates work, and the task form still saves', async () => {
    const { page, panelLoads } = await openBoard(owner);
    const errors = collectErrors(page);
    const task = tasks['Write the report']!;
    await openTask(page, 'Write the report');
    await panel(page).waitFor({ timeout: 5000 });
    expect(await editor(page).locator('[part~="plugin-panel"] h4').textContent()).to.equal('Time tracking');
    expect(await panel(page).locator('.total').textContent()).to.equal('0m logged');
    const props = await onPanel<Record<string, unknown>>(page, `return { taskId: panel.task.id, projectId: panel.projectId, userId: panel.userId, readOnly: panel.readOnly, name: panel.nameOf(${JSON.stringify(member.id)}) };`);
    expect(props).to.deep.equal({ taskId: task.id, projectId, userId: owner.id, readOnly: false, name: '<b>Ana</b>' });

    // The timer: started and stopped through the plugin's route; each change comes back live as a new task.
    await panel(page).locator('button[name=timer]', { hasText: 'Start timer' }).click();
    await panel(page).locator('[role=timer]').waitFor({ timeout: 5000 });
    await panel(page).locator('button[name=timer]', { hasText: 'Stop timer' }).click();
    await panel(page).locator('.total', { hasText: '1m logged' }).waitFor({ timeout: 5000 });

    // Logging with Enter stays in the panel: the task's form is not submitted.
    await editor(page).locator('input[name=title]').fill('Write the final report');
    await panel(page).locator('input[name=duration]').fill('1h30m');
    await panel(page).locator('input[name=duration]').press('Enter');
    await panel(page).locator('.total', { hasText: '1h31m logged' }).waitFor({ timeout: 5000 });
    expect(await editor(page).count()).to.equal(1);

    // Someone else logs time from chat: the open panel follows, names shown as text.
    const said = await member.client.post(`/api/rooms/${generalId}/messages`, { text: `/task time ${task.number} 45m` });
    expect(said.status).to.equal(201);
    await panel(page).locator('.total', { hasText: '2h16m logged' }).waitFor({ timeout: 5000 });
    expect(await panel(page).locator(`li[data-user="${member.id}"]`).textContent()).to.equal('<b>Ana</b>: 45m');
    expect(await panel(page).locator('li b').count()).to.equal(0);

    // The estimate, then the task's own Save goes through on the task as the plugin left it.
    await panel(page).locator('input[name=estimate]').fill('2h');
    await panel(page).locator('button[name=set-estimate]').click();
    await panel(page).locator('.total.over').waitFor({ timeout: 5000 });
    await editor(page).locator('button[type=submit]').click();
    await editor(page).waitFor({ state: 'detached' });
    const saved = (await owner.client.get(`/api/tasks/${task.id}`)).body;
    expect(saved.title).to.equal('Write the final report');
    expect(saved.fields['time-tracking'].estimateMinutes).to.equal(120);
    expect(saved.fields['time-tracking'].entries.map((e: { minutes: number; source: string }) => [e.minutes, e.source])).to.deep.equal([
      [1, 'timer'],
      [90, 'panel'],
      [45, 'command'],
    ]);

    await openTask(page, 'Review the budget');
    await panel(page).locator('.total', { hasText: '0m logged' }).waitFor({ timeout: 5000 });
    expect(panelLoads(), 'the module is imported once per page').to.equal(1);
    expect(errors).to.deep.equal([]);
  });

  it('gives a viewer the totals without the controls, and drops the panel when the plugin is switched off', async () => {
    const { page } = await openBoard(viewer);
    await openTask(page, 'Review the budget');
    await panel(page).locator('.total').waitFor({ timeout: 5000 });
    expect(await onPanel(page, 'return [panel.readOnly, panel.userId];')).to.deep.equal([true, viewer.id]);
    expect(await panel(page).locator('button').count()).to.equal(0);
    await page.keyboard.press('Escape');
    await editor(page).waitFor({ state: 'detached' });

    expect((await owner.client.request('PUT', `/api/projects/${projectId}/plugins/time-tracking`, { enabled: false })).status).to.equal(200);
    // plugin.updated reaches the board through the feed; the next editor has no panel.
    await page.waitForFunction(
      `(async () => {
        const board = document.querySelector('taskwire-board');
        board.shadowRoot.querySelector('.card').click();
        await new Promise((resolve) => setTimeout(resolve, 200));
        const open = board.shadowRoot.querySelector('[part~="editor"]') !== null;
        const shown = board.shadowRoot.querySelector('[part~="plugin-panel"]') !== null;
        board.shadowRoot.querySelector('.editor .row .btn:not(.danger):not(.primary)')?.click();
        return open && !shown;
      })()`,
      undefined,
      { timeout: 10_000, polling: 500 },
    );
    expect((await owner.client.request('PUT', `/api/projects/${projectId}/plugins/time-tracking`, { enabled: true })).status).to.equal(200);
  });
});
