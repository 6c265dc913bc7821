// The Plugins section of the Integrations tab in a real Chromium against a real
// server that loaded real plugins (PLUGINS): the tab's code arrives as chunks
// only when it opens; an admin sees each plugin with a form generated from its
// settings schema (text, number, checkbox, select; JSON for what a form cannot
// hold), gets the server's 400 by the fields it names (values only the server
// refuses: the form has novalidate), saves, turns the plugin on from the
// keyboard, sees it speak with those settings, sees a failing plugin's last
// error (as text), and turns it off; a member gets no controls and a 403.

import { expect } from 'chai';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { writePlugin, FLAKY } from '../plugins/fixtures.js';
import { registerUser, startApi, TEST_TUNING, type ApiServer, type TestUser } from '../support/api.js';
import { collectErrors, useBrowser } from '../support/browser.js';
import { eventually } from '../support/eventually.js';

const VIEWPORT = { width: 1280, height: 900 };
const XSS = '<img src=x onerror="window.pwned=1">';

const HELLO = `
export default {
  name: 'hello',
  version: '1.0.0',
  description: 'Greets each new task in #general.',
  permissions: ['messages:write'],
  settings: {
    type: 'object',
    properties: {
      greeting: { type: 'string', minLength: 1, maxLength: 80, default: 'New task', description: 'Said before the title.' },
      loud: { type: 'boolean', default: false },
      repeat: { type: 'integer', minimum: 1, maximum: 3, default: 1 },
    },
    additionalProperties: false,
  },
  events: ['task.created'],
  async onChange(change, ctx) {
    const line = ctx.settings.greeting + ': ' + change.data.title;
    await ctx.messages.post(ctx.generalRoomId, Array(ctx.settings.repeat).fill(ctx.settings.loud ? line.toUpperCase() : line).join(' '));
  },
};
`;

/** Settings a row of inputs cannot hold: a nested object. */
const DIGEST = `
export default {
  name: 'digest',
  version: '2.1.0',
  settings: {
    type: 'object',
    properties: { schedule: { type: 'object', properties: { hour: { type: 'integer', minimum: 0, maximum: 23, default: 9 } }, additionalProperties: false, default: {} } },
    additionalProperties: false,
  },
};
`;

/** What the assertions read of an input in the page (this file is compiled without the DOM's types). */
interface Input {
  type: string;
  value: string;
  validity: { valid: boolean };
  getAttribute(name: string): string | null;
}

const plugins = (p: Page): Locator => p.locator('taskwire-app taskwire-integrations taskwire-plugins');
const row = (p: Page, name: string): Locator => plugins(p).locator(`article[data-plugin="${name}"]`);
const chunksFetched = (urls: string[], name: string): number => urls.filter((u) => new RegExp(`/app-chunks/${name}-[A-Z0-9]+\\.js$`).test(u)).length;

describe('Plugins in the Integrations tab, in Chromium [sqlite]', function () {
  this.timeout(90_000);
  let api: ApiServer;
  let browser: Browser;
  let ada: TestUser;
  let mo: TestUser;
  let projectId: string;
  let generalId: string;
  /** Ada's page, kept from test to test, with what it fetched and what went wrong in it. */
  let page: Page;
  let fetched: string[];
  let errors: string[];
  const contexts: BrowserContext[] = [];

  async function openApp(user: TestUser, hash: string): Promise<{ page: Page; fetched: string[] }> {
    const context = await browser.newContext({ viewport: VIEWPORT, reducedMotion: 'reduce' });
    contexts.push(context);
    await context.addInitScript((session) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('taskwire.session', session), user.token);
    const opened = await context.newPage();
    const urls: string[] = [];
    opened.on('request', (r) => void urls.push(r.url()));
    await opened.goto(`${api.url}/${hash}`);
    return { page: opened, fetched: urls };
  }

  const stateOf = async (name: string) => (await ada.client.get(`/api/projects/${projectId}/plugins/${name}`)).body;
  const texts = async (): Promise<string[]> => ((await ada.client.get(`/api/rooms/${generalId}/messages?limit=50`)).body.items as { text: string }[]).map((m) => m.text);

  before(async function () {
    this.timeout(120_000);
    browser = await useBrowser(this);
    const installed = [writePlugin('hello', HELLO), writePlugin('flaky', FLAKY), writePlugin('digest', DIGEST)].join(',');
    api = await startApi('sqlite', this, TEST_TUNING, { PLUGINS: installed });
    ada = await registerUser(api, 'Ada Admin');
    mo = await registerUser(api, 'Mo Member');
    projectId = (await ada.client.post('/api/projects', { name: 'Launch' })).body.id;
    generalId = (await ada.client.get(`/api/projects/${projectId}/rooms`)).body.items[0].id;
    expect((await ada.client.post(`/api/projects/${projectId}/members`, { email: mo.email, role: 'member' })).status).to.equal(201);
  });

  after(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    await api?.stop();
  });

  it('fetches the tab as chunks when it opens, and shows each plugin with a form generated from its settings schema', async () => {
    ({ page, fetched } = await openApp(ada, `#/projects/${projectId}/board`));
    errors = collectErrors(page);
    await page.locator('taskwire-app taskwire-board').waitFor();
    expect(chunksFetched(fetched, 'integrations') + chunksFetched(fetched, 'plugins'), 'nothing of the tab before it opens').to.equal(0);
    await page.locator('taskwire-app .tab', { hasText: 'Integrations' }).click();
    const hello = row(page, 'hello');
    await hello.waitFor();
    expect(chunksFetched(fetched, 'integrations')).to.equal(1);
    expect(chunksFetched(fetched, 'plugins')).to.equal(1);
    // The rest of the tab came with it.
    await page.locator('taskwire-app taskwire-integrations .webhooks form.webhook-form').waitFor();

    expect(await plugins(page).locator('article[data-plugin]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-plugin')))).to.have.members(['time-tracking', 'hello', 'flaky', 'digest']);
    expect(await hello.locator('h3').textContent()).to.equal('hello 1.0.0');
    expect(await hello.locator('.description').textContent()).to.equal('Greets each new task in #general.');
    expect(await hello.locator('.about').textContent()).to.include('Permissions: messages:write.').and.include('Reacts to task.created.');
    expect(await hello.locator('.state').textContent()).to.equal('disabled');
    const toggle = hello.getByRole('switch', { name: 'Use hello in this project' });
    expect(await toggle.getAttribute('aria-checked')).to.equal('false');

    // string → text with its limits, boolean → checkbox, integer → number with its range; labelled and described.
    const greeting = hello.getByLabel('greeting', { exact: true });
    expect(await greeting.evaluate((e) => {
      const i = e as unknown as Input;
      return [i.type, i.value, i.getAttribute('minlength'), i.getAttribute('maxlength')];
    })).to.deep.equal([
      'text',
      'New task',
      '1',
      '80',
    ]);
    const hint = await greeting.getAttribute('aria-describedby');
    expect(await hello.locator(`[id="${hint}"]`).textContent()).to.equal('Said before the title.');
    expect(await hello.getByLabel('loud').isChecked()).to.equal(false);
    const repeat = hello.getByLabel('repeat');
    expect(await repeat.evaluate((e) => {
      const i = e as unknown as Input;
      return [i.type, i.value, i.getAttribute('min'), i.getAttribute('max'), i.getAttribute('step')];
    })).to.deep.equal([
      'number',
      '1',
      '1',
      '3',
      '1',
    ]);

    // enum → select, with the description as its hint.
    const round = row(page, 'time-tracking').getByLabel('roundTimerTo');
    expect(await round.locator('option').allTextContents()).to.deep.equal(['1', '5', '15']);
    expect(await round.locator('option:checked').textContent()).to.equal('1');
    expect(await row(page, 'time-tracking').locator('.field .hint').textContent()).to.equal('timer entries are rounded up to this many minutes');
    expect(await row(page, 'flaky').getByLabel('mode').locator('option').allTextContents()).to.deep.equal(['ok', 'throw', 'hang']);

    // A nested object: the whole settings object as JSON.
    const json = row(page, 'digest').getByLabel('Settings (JSON)');
    expect(JSON.parse(await json.inputValue())).to.deep.equal({ schedule: { hour: 9 } });
  });

  it('shows the server\'s 400 by the fields it names, then saves the settings and turns the plugin on from the keyboard; it then speaks with them', async () => {
    const hello = row(page, 'hello');
    const greeting = hello.getByLabel('greeting', { exact: true });
    await greeting.fill('');
    await hello.getByLabel('repeat').fill('7');
    await hello.locator('button.save').click();

    // Empty is under minLength and 7 over the maximum: both the server's words, each by its field.
    const greetingError = hello.locator('[data-field="greeting"] .error[role=alert]');
    await greetingError.waitFor();
    expect(await greetingError.textContent()).to.match(/fewer than 1 character/);
    expect(await hello.locator('[data-field="repeat"] .error[role=alert]').textContent()).to.match(/<= 3/);
    expect(await hello.locator('[data-field="loud"] .error').count()).to.equal(0);
    expect(await greeting.getAttribute('aria-invalid')).to.equal('true');
    expect((await greeting.getAttribute('aria-describedby'))!.split(' ')).to.have.length(2);
    expect(await hello.locator('.form-error[role=alert]').textContent()).to.include('These settings do not fit the hello plugin.');
    expect(await greeting.evaluate((e) => (e as unknown as Input).validity.valid), 'the browser let it through: the server refused it').to.equal(true);
    expect((await stateOf('hello')).settings).to.deep.equal({ greeting: 'New task', loud: false, repeat: 1 });

    await greeting.fill('Hi team');
    await hello.getByLabel('repeat').fill('2');
    await hello.getByLabel('loud').check();
    await hello.locator('button.save').click();
    await hello.locator('.said', { hasText: 'Settings saved.' }).waitFor();
    expect(await hello.locator('.error').count(), 'the problems are gone').to.equal(0);
    expect(await greeting.getAttribute('aria-invalid')).to.equal('false');
    const saved = await stateOf('hello');
    expect(saved).to.deep.include({ enabled: false, settings: { greeting: 'Hi team', loud: true, repeat: 2 } });

    const toggle = hello.getByRole('switch', { name: 'Use hello in this project' });
    await toggle.focus();
    await page.keyboard.press('Space');
    await hello.locator('.state[data-status="ok"]', { hasText: 'ok' }).waitFor();
    expect(await toggle.getAttribute('aria-checked')).to.equal('true');
    expect(await toggle.evaluate((b) => (b as unknown as { matches(selector: string): boolean }).matches(':focus')), 'the switch keeps the focus').to.equal(true);
    expect(await stateOf('hello')).to.deep.include({ enabled: true, status: 'ok', settings: { greeting: 'Hi team', loud: true, repeat: 2 } });

    await ada.client.post(`/api/projects/${projectId}/tasks`, { title: 'Ship it' });
    await eventually(texts, (all) => all.includes('HI TEAM: SHIP IT HI TEAM: SHIP IT'), 15_000, 'hello speaks with the saved settings');
  });

  it('edits settings a form cannot hold as JSON, with the server\'s problem by the editor', async () => {
    const digest = row(page, 'digest');
    const json = digest.getByLabel('Settings (JSON)');
    await json.fill('{ "schedule": ');
    await digest.locator('button.save').click();
    await digest.locator('[data-field="settings"] .error[role=alert]', { hasText: 'This is not JSON' }).waitFor();

    await json.fill('{ "schedule": { "hour": 30 } }');
    await digest.locator('button.save').click();
    await digest.locator('[data-field="settings"] .error[role=alert]', { hasText: 'schedule.hour: must be <= 23' }).waitFor();
    expect(await json.getAttribute('aria-invalid')).to.equal('true');

    await json.fill('{ "schedule": { "hour": 7 } }');
    await digest.locator('button.save').click();
    await digest.locator('.said', { hasText: 'Settings saved.' }).waitFor();
    expect((await stateOf('digest')).settings).to.deep.equal({ schedule: { hour: 7 } });
  });

  it('shows a failing plugin with its last error, as text, and since when', async () => {
    const flaky = row(page, 'flaky');
    await flaky.getByLabel('mode').selectOption('throw');
    await flaky.locator('button.save').click();
    await flaky.locator('.said', { hasText: 'Settings saved.' }).waitFor();
    await flaky.getByRole('switch').click();
    await flaky.locator('.state[data-status="ok"]').waitFor();

    await ada.client.post(`/api/projects/${projectId}/tasks`, { title: XSS });
    await eventually(() => stateOf('flaky'), (s) => s.status === 'failing', 15_000, 'flaky failing');
    // The tab does not follow the feed: opening it again reads the list again.
    await page.locator('taskwire-app .tab', { hasText: 'Board' }).click();
    await page.locator('taskwire-app .tab', { hasText: 'Integrations' }).click();
    await flaky.locator('.state[data-status="failing"]', { hasText: 'failing since' }).waitFor();
    expect(await flaky.locator('.last-error code').textContent()).to.match(/^task\.created #\d+: flaky is broken: /).and.include(XSS);
    expect(await flaky.locator('.last-error img').count()).to.equal(0);
    expect(await page.evaluate(() => (globalThis as unknown as { pwned?: number }).pwned)).to.equal(undefined);
  });

  it('turns the plugin off again', async () => {
    const hello = row(page, 'hello');
    const toggle = hello.getByRole('switch', { name: 'Use hello in this project' });
    await toggle.click();
    await hello.locator('.state[data-status="disabled"]', { hasText: 'disabled' }).waitFor();
    expect(await toggle.getAttribute('aria-checked')).to.equal('false');
    expect(await hello.locator('.said').textContent()).to.equal('Turned off.');
    expect(await stateOf('hello')).to.deep.include({ enabled: false, status: 'disabled', settings: { greeting: 'Hi team', loud: true, repeat: 2 } });
    // Only the refused saves and the failing plugin's errors were logged.
    expect(errors.filter((e) => !/status of 400/.test(e))).to.deep.equal([]);
  });

  it('gives a member no controls (not even the tab\'s code), and the API answers them 403', async () => {
    const { page: p, fetched: theirs } = await openApp(mo, `#/projects/${projectId}/board`);
    await p.locator('taskwire-app .tab', { hasText: 'Members' }).waitFor();
    expect(await p.locator('taskwire-app .tab').allTextContents()).to.not.include('Integrations');
    await p.goto(`${api.url}/#/projects/${projectId}/integrations`);
    await p.locator('taskwire-app .view', { hasText: 'Only project admins and owners manage integrations.' }).waitFor();
    expect(await p.locator('taskwire-app taskwire-plugins').count()).to.equal(0);
    expect(await p.getByRole('switch').count()).to.equal(0);
    expect(chunksFetched(theirs, 'integrations') + chunksFetched(theirs, 'plugins')).to.equal(0);

    const put = await mo.client.request('PUT', `/api/projects/${projectId}/plugins/hello`, { enabled: true });
    expect(put.status).to.equal(403);
    const listed = (await mo.client.get(`/api/projects/${projectId}/plugins`)).body.items.find((x: { name: string }) => x.name === 'hello');
    expect(listed).to.deep.include({ enabled: false, settings: null, lastError: null });
  });
});
