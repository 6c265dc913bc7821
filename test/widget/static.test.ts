// /widget.js, /app.js, the app's chunks and the app page as HTTP resources:
// built, cacheable, loadable from any origin (the widget), small.

import { expect } from 'chai';
import { request } from 'node:http';
import { startApi, type ApiServer } from '../support/api.js';
import { widgetBuild } from '../support/browser.js';

/** The app-chunks a script imports: `static` (import … from) runs before it, `dynamic` (import()) on demand. */
function chunkImports(code: string): { static: string[]; dynamic: string[] } {
  const names = (pattern: RegExp) => [...code.matchAll(pattern)].map((m) => m[1]!);
  return {
    static: names(/(?:from|import)\s*"\.\/(?:app-chunks\/)?([\w-]+\.js)"/g),
    dynamic: names(/import\(\s*"\.\/(?:app-chunks\/)?([\w-]+\.js)"\s*\)/g),
  };
}

/** A GET with the path sent as written (fetch would resolve the dots itself). */
function rawGet(url: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(`${url}${path}`, { path }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    })
      .on('error', reject)
      .end();
  });
}

describe('Widget and app page assets [sqlite]', function () {
  let api: ApiServer;

  before(async function () {
    this.timeout(60_000);
    await widgetBuild();
    api = await startApi('sqlite', this);
  });
  after(async () => api?.stop());

  it('serves /widget.js as a cacheable ES module any origin may load, and answers 304 to its ETag', async () => {
    const first = await fetch(`${api.url}/widget.js`, { headers: { Origin: 'https://intranet.example' } });
    expect(first.status).to.equal(200);
    expect(first.headers.get('content-type')).to.match(/^text\/javascript/);
    expect(first.headers.get('cache-control')).to.equal('public, max-age=300');
    expect(first.headers.get('access-control-allow-origin')).to.equal('*');
    const etag = first.headers.get('etag');
    expect(etag).to.match(/^"[\w-]+"$/);
    const code = await first.text();
    expect(code).to.include('taskwire-board').and.to.include('taskwire-widget');
    expect(code.length).to.be.above(10_000);
    // Host sites embed it from one <script> on another origin: it imports no module of its own.
    expect(code, 'widget.js is one self-contained file').to.not.match(/\bfrom\s*["']|\bimport\s*\(\s*["']/);

    const again = await fetch(`${api.url}/widget.js`, { headers: { 'If-None-Match': etag! } });
    expect(again.status).to.equal(304);
    expect(again.headers.get('etag')).to.equal(etag);
  });

  it('sends /widget.js compressed when asked, under the 40 KB gzip budget', async () => {
    const sizes = (await widgetBuild()).sizes;
    const widget = sizes.find((s) => s.file.endsWith('widget.js'))!;
    expect(widget.gzip).to.be.below(40 * 1024);
    const gz = await fetch(`${api.url}/widget.js`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).to.equal('gzip');
    expect(gz.headers.get('vary')).to.match(/accept-encoding/i);
    const br = await fetch(`${api.url}/widget.js`, { headers: { 'Accept-Encoding': 'br, gzip' } });
    expect(br.headers.get('content-encoding')).to.equal('br');
    expect(await br.text()).to.equal(await gz.text());
  });

  it('serves the app page with a strict CSP, its own small script, and HEAD', async () => {
    const page = await fetch(`${api.url}/`);
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.match(/^text\/html/);
    expect(page.headers.get('content-security-policy')).to.include("script-src 'self'");
    const html = await page.text();
    expect(html).to.include('src="/widget.js"').and.to.include('src="/app.js"');
    const app = await fetch(`${api.url}/app.js`);
    expect(app.status).to.equal(200);
    const code = await app.text();
    expect(code).to.include('from"/widget.js"');
    // lit-html registers its version in a global array; only the bundle that carries lit has that code.
    expect(code, 'the app script imports lit from /widget.js instead of bundling it').to.not.include('litHtmlVersions');
    expect(code.length, 'the app page script stays small').to.be.below(80_000);
    const head = await fetch(`${api.url}/widget.js`, { method: 'HEAD' });
    expect(head.status).to.equal(200);
    expect(head.headers.get('etag')).to.be.a('string');
  });

  it('keeps what the app page runs before its first screen under 80 000 characters; the Integrations tab and the admin screen load on demand', async () => {
    const entry = await (await fetch(`${api.url}/app.js`)).text();
    // app.js and, transitively, the chunks it imports statically.
    const first = new Map<string, string>([['app.js', entry]]);
    const lazy = new Set(chunkImports(entry).dynamic);
    const queue = chunkImports(entry).static;
    for (let name = queue.shift(); name; name = queue.shift()) {
      if (first.has(name)) continue;
      const code = await (await fetch(`${api.url}/app-chunks/${name}`)).text();
      first.set(name, code);
      queue.push(...chunkImports(code).static);
      for (const d of chunkImports(code).dynamic) lazy.add(d);
    }
    const firstLoad = [...first.values()].join('');
    expect(firstLoad.length, 'app.js and its static imports').to.be.below(80_000);
    // The build says the same about the same files.
    const build = await widgetBuild();
    const built = build.appFirstLoad.map((file) => file.split('/').pop()!).sort();
    expect(built).to.deep.equal([...first.keys()].sort());
    const byName = new Map(build.sizes.map((s) => [s.file.split('/').pop()!, s.bytes]));
    expect(build.appFirstLoad.reduce((sum, file) => sum + byName.get(file.split('/').pop()!)!, 0)).to.equal(Buffer.byteLength(firstLoad));

    const lazyNames = [...lazy].map((name) => name.replace(/-[A-Z0-9]+\.js$/, ''));
    expect(lazyNames).to.include.members(['integrations', 'plugins', 'admin']);
    for (const words of ['Outgoing webhooks', 'Save settings', 'Audit log']) {
      expect(firstLoad, `"${words}" waits for its screen`).to.not.include(words);
    }
    const lazyCode = (await Promise.all([...lazy].map(async (name) => (await fetch(`${api.url}/app-chunks/${name}`)).text()))).join('');
    for (const words of ['Outgoing webhooks', 'Save settings', 'Audit log']) expect(lazyCode).to.include(words);
  });

  it('serves the app chunks by content-hashed name as JavaScript cached for a year, with ETag, 304, gzip and brotli', async () => {
    const { sizes } = await widgetBuild();
    const chunks = sizes.filter((s) => s.file.includes('/app-chunks/')).map((s) => s.file.split('/').pop()!);
    expect(chunks.length).to.be.at.least(3);
    for (const name of chunks) {
      expect(name).to.match(/^[a-z-]+-[A-Z0-9]{8}\.js$/);
      const first = await fetch(`${api.url}/app-chunks/${name}`, { headers: { 'Accept-Encoding': 'identity' } });
      expect(first.status, name).to.equal(200);
      expect(first.headers.get('content-type')).to.match(/^text\/javascript/);
      expect(first.headers.get('cache-control')).to.equal('public, max-age=31536000, immutable');
      expect(first.headers.get('x-content-type-options')).to.equal('nosniff');
      expect(first.headers.get('vary')).to.match(/accept-encoding/i);
      const etag = first.headers.get('etag');
      expect(etag).to.match(/^"[\w-]+"$/);
      const code = await first.text();
      expect(code, 'lit comes from /widget.js').to.not.include('litHtmlVersions');

      const again = await fetch(`${api.url}/app-chunks/${name}`, { headers: { 'If-None-Match': etag! } });
      expect(again.status).to.equal(304);
      const br = await fetch(`${api.url}/app-chunks/${name}`, { headers: { 'Accept-Encoding': 'br, gzip' } });
      expect(br.headers.get('content-encoding')).to.equal('br');
      const gz = await fetch(`${api.url}/app-chunks/${name}`, { headers: { 'Accept-Encoding': 'gzip' } });
      expect(gz.headers.get('content-encoding')).to.equal('gzip');
      expect(await br.text()).to.equal(code);
      expect(await gz.text()).to.equal(code);
      expect((await fetch(`${api.url}/app-chunks/${name}`, { method: 'HEAD' })).status).to.equal(200);
    }
  });

  it('answers 404 for a chunk this build does not have, and never serves outside the chunk folder', async () => {
    const stale = await fetch(`${api.url}/app-chunks/integrations-AAAAAAAA.js`);
    expect(stale.status).to.equal(404);
    expect(((await stale.json()) as { error: { message: string } }).error.message).to.include('reload the page');
    expect(stale.headers.get('cache-control') ?? '', 'a 404 is not kept for a year').to.not.include('immutable');
    for (const path of ['/app-chunks/../app.js', '/app-chunks/%2e%2e%2fapp.js', '/app-chunks/sizes.json', '/app-chunks/', '/app-chunks/a/b.js']) {
      expect(await rawGet(api.url, path), path).to.equal(404);
    }
  });

  it('leaves every other path to the API', async () => {
    expect((await fetch(`${api.url}/health`)).status).to.equal(200);
    expect((await fetch(`${api.url}/widget.css`)).status).to.equal(404);
    expect((await fetch(`${api.url}/widget.js`, { method: 'POST' })).status).to.not.equal(200);
  });
});
