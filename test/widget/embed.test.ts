// Embed tokens through the real widget on a page of another origin (issue
// acceptance points 3 and 4): a token works only from the origins it lists,
// over HTTP and on the socket; a viewer token writes nothing; with verified
// identity the host's JWT decides who writes, and a bad one writes nothing.
// Then the app page's Embed tab: create a token, see it once, delete it.

import { expect } from 'chai';
import { SignJWT } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Client, registerUser, startApi, type ApiServer, type TestUser } from '../support/api.js';
import { collectErrors, pageFetch, pageSocketHandshake, screenshot, startHostSite, useBrowser, type HostSite } from '../support/browser.js';

interface CreatedEmbed {
  id: string;
  token: string;
  secret?: string;
}

interface Message {
  text: string;
  authorId: string;
  authorName?: string;
}

const VIEWPORT = { width: 1180, height: 820 };

/** The connection state shown by the widget's board or chat. */
const status = (page: Page, element: 'board' | 'chat', state: string) => page.locator(`taskwire-widget taskwire-${element} [part~="status"][data-state="${state}"]`);

async function hostJwt(secret: string, claims: Record<string, unknown>, audience: string, expiresIn: string | number = '10m'): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setAudience(audience).setExpirationTime(expiresIn).sign(new TextEncoder().encode(secret));
}

describe('Embed tokens in Chromium [sqlite]', function () {
  this.timeout(30_000);
  let api: ApiServer;
  let browser: Browser;
  /** The intranet: the origin the tokens list. */
  let host: HostSite;
  /** Another site (another port, so another origin) that copied the snippet. */
  let elsewhere: HostSite;
  let owner: TestUser;
  let projectId: string;
  let roomId: string;
  const contexts: BrowserContext[] = [];

  const embed = async (body: { name: string; role: 'viewer' | 'member'; identity: 'anonymous' | 'verified'; origins?: string[] }): Promise<CreatedEmbed> => {
    const reply = await owner.client.post(`/api/projects/${projectId}/embed-tokens`, { origins: [host.url], ...body });
    if (reply.status !== 201) throw new Error(`embed token: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  };
  const messages = async (): Promise<Message[]> => (await owner.client.get(`/api/rooms/${roomId}/messages?limit=100`)).body.items;
  const tasks = async (): Promise<{ title: string }[]> => (await owner.client.get(`/api/projects/${projectId}/tasks`)).body.items;

  /** A page of `site` with an open <taskwire-widget> for `token` (and `userToken`). */
  async function openEmbed(site: HostSite, token: string, options: { tab?: 'board' | 'chat'; userToken?: string } = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: VIEWPORT, reducedMotion: 'reduce' });
    contexts.push(context);
    const page = await context.newPage();
    const userToken = options.userToken ? ` user-token="${options.userToken}"` : '';
    await page.goto(
      site.page(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8" /><title>Acme intranet</title><link rel="icon" href="data:," />
<script type="module" src="${api.url}/widget.js"></script></head>
<body style="font-family: Georgia, serif; margin: 0; padding: 24px 32px; background: #fbfaf7">
  <h1>Acme intranet</h1>
  <taskwire-widget project="${projectId}" token="${token}"${userToken} open tab="${options.tab ?? 'board'}"></taskwire-widget>
</body>
</html>`),
    );
    return page;
  }

  before(async function () {
    this.timeout(120_000);
    browser = await useBrowser(this);
    api = await startApi('sqlite', this);
    [host, elsewhere] = [await startHostSite(), await startHostSite()];
    owner = await registerUser(api, 'Ada Lovelace');
    projectId = (await owner.client.post('/api/projects', { name: 'Intranet board' })).body.id;
    roomId = (await owner.client.get(`/api/projects/${projectId}/rooms`)).body.items[0].id;
    for (const title of ['Order the badges', 'Book the venue']) await owner.client.post(`/api/projects/${projectId}/tasks`, { title });
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  after(async () => {
    await Promise.all([host?.close(), elsewhere?.close()]);
    await api?.stop();
  });

  it('works from an origin on its list: the board shows the tasks, and a member token chats as the token\'s guest', async () => {
    const { token } = await embed({ name: 'Intranet', role: 'member', identity: 'anonymous' });
    // Posted before the page opens: the widget knows it is its own from GET /api/me, not from a first message.
    const earlier = await new Client(api.url, token).request('POST', `/api/rooms/${roomId}/messages`, { text: 'Posted by the guest earlier' }, { Origin: host.url });
    expect(earlier.status).to.equal(201);

    const page = await openEmbed(host, token);
    const errors = collectErrors(page);
    await status(page, 'board', 'live').waitFor({ timeout: 10_000 });
    expect(await page.locator('taskwire-board .card .card-title').allTextContents()).to.have.members(['Order the badges', 'Book the venue']);
    expect(await page.locator('taskwire-board [part~="add-button"]').count()).to.be.above(0);

    await page.locator('taskwire-widget .tab', { hasText: 'Chat' }).click();
    await status(page, 'chat', 'live').waitFor();
    const before = page.locator('taskwire-chat .message', { hasText: 'Posted by the guest earlier' });
    await before.waitFor();
    // Every visitor of an anonymous token is the same guest, so no guest may edit or delete: nothing is "own".
    expect(await before.getAttribute('class')).to.not.include('own');
    const composer = page.locator('taskwire-chat [part~="composer"] textarea');
    await composer.fill('Hello from the intranet');
    await composer.press('Enter');
    const sent = page.locator('taskwire-chat .message', { hasText: 'Hello from the intranet' });
    await sent.waitFor({ timeout: 3000 });
    expect(await sent.getAttribute('class')).to.not.include('own');
    expect(await page.locator('taskwire-chat [part~="message-menu-button"]').count()).to.equal(0);
    const stored = (await messages()).find((m) => m.text === 'Hello from the intranet');
    expect(stored).to.include({ authorName: 'Guest', authorId: earlier.body.authorId });

    // The same token straight from the page, over HTTP and on the socket.
    expect((await pageFetch(page, `${api.url}/api/me`, { token })).body).to.include({ id: earlier.body.authorId, name: 'Guest' });
    expect(await pageSocketHandshake(page, api.url, { token })).to.equal('connected');
    expect(errors).to.deep.equal([]);
    // Last, because the browser logs the refused request as a console error.
    const edit = await pageFetch(page, `${api.url}/api/messages/${earlier.body.id}`, { token, method: 'PATCH', body: { text: 'rewritten by another guest' } });
    expect(edit.status).to.equal(403);
  });

  it('is refused from an origin not on its list, over HTTP and on the socket: the widget shows why and loads nothing', async () => {
    const { token } = await embed({ name: 'Intranet only', role: 'member', identity: 'anonymous' });
    const page = await openEmbed(elsewhere, token);
    await status(page, 'board', 'unauthorized').waitFor({ timeout: 10_000 });
    const problem = page.locator('taskwire-board [part~="problem"]');
    expect(await problem.textContent()).to.include(elsewhere.url).and.include('not on its list');
    expect(await page.locator('taskwire-board .columns').count()).to.equal(0);
    expect(await page.locator('taskwire-board .card').count()).to.equal(0);
    await page.locator('taskwire-widget .tab', { hasText: 'Chat' }).click();
    await status(page, 'chat', 'unauthorized').waitFor();
    expect(await page.locator('taskwire-chat .message').count()).to.equal(0);
    expect(await page.locator('taskwire-chat [part~="composer"]').count()).to.equal(0);

    expect((await pageFetch(page, `${api.url}/api/projects/${projectId}/tasks`, { token })).status).to.equal(401);
    const post = await pageFetch(page, `${api.url}/api/rooms/${roomId}/messages`, { method: 'POST', token, body: { text: 'from elsewhere' } });
    expect(post.status).to.equal(401);
    expect(await pageSocketHandshake(page, api.url, { token })).to.equal('refused: unauthenticated');
    expect((await messages()).some((m) => m.text === 'from elsewhere')).to.equal(false);
  });

  it('as a viewer token offers no write action, and the API answers its writes with 403', async () => {
    const { token } = await embed({ name: 'Wall display', role: 'viewer', identity: 'anonymous' });
    const page = await openEmbed(host, token);
    await status(page, 'board', 'live').waitFor({ timeout: 10_000 });
    const card = page.locator('taskwire-board .card', { hasText: 'Order the badges' });
    await card.waitFor();
    expect(await page.locator('taskwire-board [part~="add-button"]').count()).to.equal(0);
    expect(await page.locator('taskwire-board .card[draggable="true"]').count()).to.equal(0);
    expect(await card.getAttribute('draggable')).to.equal('false');
    await page.locator('taskwire-widget .tab', { hasText: 'Chat' }).click();
    await page.locator('taskwire-chat [part~="read-only"]').waitFor();
    expect(await page.locator('taskwire-chat [part~="composer"]').count()).to.equal(0);

    const task = await pageFetch(page, `${api.url}/api/projects/${projectId}/tasks`, { method: 'POST', token, body: { title: 'Written by a viewer' } });
    const message = await pageFetch(page, `${api.url}/api/rooms/${roomId}/messages`, { method: 'POST', token, body: { text: 'Written by a viewer' } });
    expect([task.status, message.status]).to.deep.equal([403, 403]);
    expect((await tasks()).some((t) => t.title === 'Written by a viewer')).to.equal(false);
    expect((await messages()).some((m) => m.text === 'Written by a viewer')).to.equal(false);
  });

  it('with verified identity writes as the host\'s user, and refuses a wrong signature, audience or an expired JWT without storing anything', async () => {
    const created = await embed({ name: 'Intranet SSO', role: 'member', identity: 'verified' });
    const secret = created.secret!;
    const claims = { sub: 'acme-7', name: 'Dana Host', email: 'dana@acme.example' };
    const good = await hostJwt(secret, claims, projectId);
    const page = await openEmbed(host, created.token, { tab: 'chat', userToken: good });
    await status(page, 'chat', 'live').waitFor({ timeout: 10_000 });
    const composer = page.locator('taskwire-chat [part~="composer"] textarea');
    await composer.fill('Signed in through the intranet');
    await composer.press('Enter');
    const sent = page.locator('taskwire-chat .message', { hasText: 'Signed in through the intranet' });
    await sent.waitFor({ timeout: 3000 });
    expect(await sent.locator('[part~="author"]').textContent()).to.equal('Dana Host');
    expect(await sent.getAttribute('class')).to.include('own');
    const stored = (await messages()).find((m) => m.text === 'Signed in through the intranet');
    expect(stored?.authorName).to.equal('Dana Host');
    expect((await pageFetch(page, `${api.url}/api/me`, { token: created.token, userToken: good })).body).to.include({ id: stored!.authorId, name: 'Dana Host' });

    const refused: [string, string][] = [
      ['wrong signature', await hostJwt('not-the-secret-'.repeat(3), claims, projectId)],
      ['wrong audience', await hostJwt(secret, claims, 'another-project')],
      ['expired', await hostJwt(secret, claims, projectId, Math.floor(Date.now() / 1000) - 60)],
    ];
    const context = contexts.at(-1)!;
    for (const [label, jwt] of refused) {
      const bad = await context.newPage();
      const userToken = ` user-token="${jwt}"`;
      await bad.goto(
        host.page(`<!doctype html><html lang="en"><head><meta charset="utf-8" /><title>Acme</title><link rel="icon" href="data:," />
<script type="module" src="${api.url}/widget.js"></script></head>
<body><taskwire-widget project="${projectId}" token="${created.token}"${userToken} open tab="chat"></taskwire-widget></body></html>`),
      );
      await status(bad, 'chat', 'unauthorized').waitFor({ timeout: 10_000 });
      expect(await bad.locator('taskwire-chat [part~="problem"]').textContent(), label).to.include('could not be verified');
      expect(await bad.locator('taskwire-chat [part~="composer"]').count(), label).to.equal(0);
      expect(await bad.locator('taskwire-chat .message').count(), label).to.equal(0);
      const post = await pageFetch(bad, `${api.url}/api/rooms/${roomId}/messages`, { method: 'POST', token: created.token, userToken: jwt, body: { text: `as ${label}` } });
      expect(post.status, label).to.equal(401);
      expect(await pageSocketHandshake(bad, api.url, { token: created.token, userToken: jwt }), label).to.equal('refused: unauthenticated');
      await bad.close();
    }
    // Nor without any JWT: with verified identity nobody writes anonymously.
    expect((await pageFetch(page, `${api.url}/api/rooms/${roomId}/messages`, { method: 'POST', token: created.token, body: { text: 'as nobody' } })).status).to.equal(401);
    expect((await messages()).map((m) => m.text).filter((t) => t.startsWith('as '))).to.deep.equal([]);
  });

  it('the app page\'s Embed tab creates a token (shown once, with the snippet), lists it and deletes it; non-admins get an explanation', async () => {
    const launch = (await owner.client.post('/api/projects', { name: 'Q3 launch', description: 'Everything for the September launch' })).body.id as string;
    await owner.client.post(`/api/projects/${launch}/embed-tokens`, { name: 'Customer portal', origins: ['https://portal.acme.example'], role: 'viewer', identity: 'anonymous' });
    const context = await browser.newContext({ viewport: { width: 1280, height: 1500 }, reducedMotion: 'reduce' });
    contexts.push(context);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: api.url });
    await context.addInitScript((session) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('taskwire.session', session), owner.token);
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${api.url}/#/projects/${launch}/embed`);
    const tab = page.locator('taskwire-app taskwire-embed-tokens');
    await tab.locator('.tokens tr', { hasText: 'Customer portal' }).waitFor({ timeout: 10_000 });
    expect(await tab.locator('.howto pre').textContent()).to.include(`${api.url}/widget.js`);

    // Origins are checked before anything is sent.
    const form = tab.locator('.new-token form');
    await form.locator('input[name=name]').fill('Acme intranet');
    await form.locator('textarea[name=origins]').fill('intranet.acme.example\nhttps://intranet.acme.example/home');
    await form.locator('button[type=submit]').click();
    const problems = await form.locator('.field-errors li').allTextContents();
    expect(problems).to.have.length(2);
    expect(problems[0]).to.include('https://intranet.acme.example');
    expect(problems[1]).to.include('more than an origin');
    expect((await owner.client.get(`/api/projects/${launch}/embed-tokens`)).body.items).to.have.length(1);

    await form.locator('textarea[name=origins]').fill(`https://intranet.acme.example\n${host.url}`);
    expect(await form.locator('.field-errors').count(), 'fixed as you type').to.equal(0);
    await form.locator('label.choice', { hasText: 'member' }).click();
    await form.locator('label.choice', { hasText: 'verified' }).click();
    await form.locator('button[type=submit]').click();
    const created = tab.locator('.created');
    await created.waitFor({ timeout: 5000 });
    const token = (await created.locator('.token-value').textContent())!;
    const secret = (await created.locator('.secret-value').textContent())!;
    expect(token).to.match(/^twe_/);
    expect(secret.length).to.be.above(30);
    const snippet = await created.locator('pre.snippet').textContent();
    expect(snippet).to.include(`<script type="module" src="${api.url}/widget.js"></script>`);
    expect(snippet).to.include(`<taskwire-widget server="${api.url}" project="${launch}" token="${token}"`);
    expect(await created.locator('pre.jwt').textContent()).to.include('SignJWT').and.include(`.setAudience('${launch}')`);
    await created.locator('button[data-copy=token]').click();
    await created.locator('button[data-copy=token]', { hasText: 'Copied' }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())).to.equal(token);
    const listed = (await owner.client.get(`/api/projects/${launch}/embed-tokens`)).body.items as { name: string; origins: string[]; role: string; identity: string }[];
    expect(listed.find((t) => t.name === 'Acme intranet')).to.deep.include({ origins: ['https://intranet.acme.example', host.url], role: 'member', identity: 'verified' });
    // What the page showed is the real token and secret.
    const jwt = await hostJwt(secret, { sub: 'acme-1', name: 'Sam Intranet' }, launch);
    expect((await new Client(api.url, token).request('GET', '/api/me', undefined, { Origin: host.url, 'X-Taskwire-User': jwt })).body.name).to.equal('Sam Intranet');
    await tab.locator('.tokens tr', { hasText: 'Acme intranet' }).waitFor();
    await page.locator('taskwire-app .content').evaluate((content) => content.scrollTo(0, 0));
    await screenshot(page, 'app-embed');

    await created.locator('.actions button').click();
    await created.waitFor({ state: 'detached' });
    await page.reload();
    await tab.locator('.tokens tr', { hasText: 'Acme intranet' }).waitFor({ timeout: 10_000 });
    expect(await tab.locator('.token-value, .secret-value').count(), 'shown once').to.equal(0);

    const row = tab.locator('.tokens tr', { hasText: 'Acme intranet' });
    await row.locator('button.delete').click();
    await row.locator('.confirm-delete').waitFor();
    expect(await row.locator('.confirm-delete').textContent()).to.include('stop at once');
    await row.locator('button.really-delete').click();
    await row.waitFor({ state: 'detached' });
    expect(((await owner.client.get(`/api/projects/${launch}/embed-tokens`)).body.items as { name: string }[]).map((t) => t.name)).to.deep.equal(['Customer portal']);
    expect((await new Client(api.url, token).request('GET', '/api/me', undefined, { Origin: host.url, 'X-Taskwire-User': jwt })).status).to.equal(401);

    // Names are text, whatever they look like.
    await form.locator('input[name=name]').fill('<img src=x onerror="window.pwned=1"> wiki');
    await form.locator('textarea[name=origins]').fill('https://wiki.acme.example');
    await form.locator('button[type=submit]').click();
    await created.waitFor();
    expect(await tab.locator('.tokens .token-name', { hasText: 'wiki' }).textContent()).to.equal('<img src=x onerror="window.pwned=1"> wiki');
    expect(await tab.locator('img').count()).to.equal(0);
    expect(await page.evaluate(() => (globalThis as { pwned?: unknown }).pwned)).to.equal(undefined);
    expect(errors).to.deep.equal([]);

    // A member of the project reads why there is nothing to manage.
    const member = await registerUser(api, 'Mo Member');
    await owner.client.post(`/api/projects/${launch}/members`, { email: member.email, role: 'member' });
    const other = await browser.newContext({ viewport: VIEWPORT, reducedMotion: 'reduce' });
    contexts.push(other);
    await other.addInitScript((session) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('taskwire.session', session), member.token);
    const memberPage = await other.newPage();
    await memberPage.goto(`${api.url}/#/projects/${launch}/embed`);
    const notAdmin = memberPage.locator('taskwire-embed-tokens .not-admin');
    await notAdmin.waitFor({ timeout: 10_000 });
    expect(await notAdmin.textContent()).to.include('Only admins and owners');
    expect(await memberPage.locator('taskwire-embed-tokens .new-token, taskwire-embed-tokens .tokens').count()).to.equal(0);
  });
});
