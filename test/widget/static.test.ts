// /widget.js, /app.js and the app page as HTTP resources: built, cacheable,
// loadable from any origin, small.

import { expect } from 'chai';
import { startApi, type ApiServer } from '../support/api.js';
import { widgetBuild } from '../support/browser.js';

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

  it('leaves every other path to the API', async () => {
    expect((await fetch(`${api.url}/health`)).status).to.equal(200);
    expect((await fetch(`${api.url}/widget.css`)).status).to.equal(404);
    expect((await fetch(`${api.url}/widget.js`, { method: 'POST' })).status).to.not.equal(200);
  });
});
