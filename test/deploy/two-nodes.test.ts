// The scale-out deployment of docs/deploy.md in miniature: two server processes
// on one MongoDB-compatible store and one Redis, with the same SECRET_KEY,
// behind a round-robin proxy that passes WebSocket upgrades. The widget is
// embedded from the proxy's /widget.js and writes go through the proxy; the
// node holding the widget's socket is SIGKILLed, and the board keeps up: it
// reconnects through the proxy to the survivor, replays what it missed, and
// shows new writes live.

import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Client } from '../support/api.js';
import { collectErrors, startHostSite, useBrowser, type HostSite } from '../support/browser.js';
import { startProxy, type TestProxy } from '../support/proxy.js';
import { freePort, startRedis, type RedisServer } from '../support/redis.js';
import { killQuietly, startServerProcess, type StartedServer } from '../support/server-process.js';
import { useService } from '../support/services.js';
import { makeTempDir } from '../support/tmp.js';

const card = (page: Page, title: string) => page.locator('taskwire-board .card', { hasText: title });
const status = (page: Page, state: string) => page.locator(`taskwire-board [part~="status"][data-state="${state}"]`);

describe('Two nodes behind a proxy (MongoDB-compatible store + Redis)', function () {
  this.timeout(120_000);
  let redis: RedisServer | null = null;
  let proxy: TestProxy | undefined;
  let host: HostSite | undefined;
  let browser: Browser;
  let context: BrowserContext | undefined;
  const nodes = new Map<string, StartedServer>();

  before(async function () {
    const mongo = await useService(this, 'mongo', 'the two-node deployment test');
    await useService(this, 'redis', 'the two-node deployment test');
    browser = await useBrowser(this);
    // A Redis of its own: login and registration counts are shared through it, and must start at zero.
    redis = await startRedis();
    const ports = [await freePort(), await freePort()];
    const targets = ports.map((port) => `http://127.0.0.1:${port}`);
    proxy = await startProxy(targets);
    const env = {
      MONGODB_URI: mongo.uri(`tw_deploy_${randomUUID().slice(0, 8)}`),
      REDIS_URL: redis!.url,
      SECRET_KEY: randomUUID().repeat(2),
      REGISTRATION: 'open',
      PUBLIC_URL: proxy.url,
      TRUST_PROXY: '1',
    };
    const started = await Promise.all(ports.map((port, i) => startServerProcess({ ...env, PORT: String(port), DATA_DIR: makeTempDir(`tw-deploy-${i}`) }, 60_000)));
    started.forEach((node, i) => nodes.set(targets[i]!, node));
    host = await startHostSite();
  });

  after(async () => {
    await context?.close();
    nodes.forEach(killQuietly);
    await host?.close();
    await proxy?.close();
    await redis?.stop();
  });

  it('keeps the embedded board live through the proxy when the node holding its socket is SIGKILLed', async () => {
    const started = Date.now();
    const anon = new Client(proxy!.url);
    const session = (await anon.post('/api/auth/register', { email: 'owner@example.test', name: 'Owner', password: 'correct horse battery' })).body as { token: string };
    const owner = new Client(proxy!.url, session.token);
    const projectId = (await owner.post('/api/projects', { name: 'Behind the proxy' })).body.id as string;
    const create = async (title: string) => {
      const reply = await owner.post(`/api/projects/${projectId}/tasks`, { title });
      expect(reply.status, `${title}: ${JSON.stringify(reply.body)}`).to.equal(201);
    };
    for (const [target] of nodes) expect(proxy!.answered.get(target), 'both nodes served requests').to.be.above(0);

    context = await browser.newContext({ reducedMotion: 'reduce' });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(
      host!.page(`<!doctype html><html><head><meta charset="utf-8"><title>Host</title><link rel="icon" href="data:,">
<script type="module" src="${proxy!.url}/widget.js"></script></head>
<body><taskwire-board project="${projectId}" token="${session.token}" style="display:block;height:600px"></taskwire-board></body></html>`),
    );
    await status(page, 'live').waitFor({ timeout: 15_000 });
    for (let i = 1; i <= 4; i++) await create(`Before ${i}`);
    for (let i = 1; i <= 4; i++) await card(page, `Before ${i}`).waitFor({ timeout: 5_000 });

    // The node the board's socket went to through the proxy dies without a goodbye.
    const doomed = proxy!.upgrades.at(-1)!;
    const victim = nodes.get(doomed)!;
    victim.child.kill('SIGKILL');
    await victim.exited;
    const killedAt = Date.now();

    // Writes made while the board is away reach the survivor, whichever node the proxy tries first.
    for (let i = 1; i <= 3; i++) await create(`During ${i}`);
    await status(page, 'resynced').waitFor({ timeout: 15_000 });
    const back = Date.now() - killedAt;
    for (let i = 1; i <= 3; i++) await card(page, `During ${i}`).waitFor({ timeout: 5_000 });
    const survivor = [...nodes.keys()].find((target) => target !== doomed)!;
    expect(proxy!.upgrades.at(-1), 'the board reconnected to the surviving node').to.equal(survivor);

    const sent = Date.now();
    for (let i = 1; i <= 3; i++) await create(`After ${i}`);
    for (let i = 1; i <= 3; i++) await card(page, `After ${i}`).waitFor({ timeout: 2_000 });
    const live = Date.now() - sent;

    expect(await page.locator('taskwire-board .card').count(), 'every task once, none twice').to.equal(10);
    const health = await (await fetch(`${proxy!.url}/health`)).json();
    expect(health).to.deep.include({ status: 'ok', store: 'mongo', bus: 'redis' });
    expect(errors.filter((e) => !e.includes('WebSocket'))).to.deep.equal([]);
    console.log(`      back and resynced ${back} ms after the SIGKILL; 3 new writes on the board in ${live} ms; test body ${Date.now() - started} ms`);
  });
});
