// The production build: `npm run build`, then dist/ run by plain `node` with
// nothing but the runtime dependencies. The runtime tree is what
// `npm ci --omit=dev` installs (the packages `npm ls --omit=dev` lists), hard
// linked from this checkout's node_modules rather than downloaded again.

import { expect } from 'chai';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '../support/tmp.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The top-level packages of the production tree (their nested node_modules come with them). */
function runtimePackages(): string[] {
  const listed = execFileSync('npm', ['ls', '--omit=dev', '--parseable', '--all'], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n');
  return listed
    .map((path) => relative(ROOT, path))
    .filter((path) => /^node_modules\/(@[^/]+\/)?[^/@][^/]*$/.test(path));
}

describe('The production build', function () {
  this.timeout(180_000);

  it('compiles to dist/, which serves the API, the widget, the app page and plugin panels under plain node with only runtime dependencies, and exits 0 on SIGTERM', async () => {
    const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, encoding: 'utf8' });
    expect(build.status, `${build.stdout}\n${build.stderr}`).to.equal(0);
    for (const file of ['dist/core/main.js', 'dist/core/main.js.map', 'dist/jobs/worker.js', 'dist/plugins/time-tracking/index.js', 'dist/plugins/time-tracking/panel.js', 'dist/.cache/widget/widget.js', 'dist/widget/app/index.html']) {
      expect(existsSync(join(ROOT, file)), file).to.equal(true);
    }

    const app = makeTempDir('tw-dist');
    cpSync(join(ROOT, 'dist'), join(app, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(app, 'package.json'));
    const packages = runtimePackages();
    expect(packages).to.include('node_modules/koa').and.to.include('node_modules/better-sqlite3');
    expect(packages, 'no development tool at run time').to.not.include.members(['node_modules/tsx', 'node_modules/typescript', 'node_modules/mocha', 'node_modules/esbuild']);
    for (const path of packages) {
      mkdirSync(join(app, path, '..'), { recursive: true });
      execFileSync('cp', ['-al', join(ROOT, path), join(app, path)]);
    }

    const child = spawn(process.execPath, ['dist/core/main.js'], {
      cwd: app,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', HOST: '127.0.0.1', DATA_DIR: join(app, 'data'), LOG_LEVEL: 'warn', REGISTRATION: 'open' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not live within 20 s: ${out}`)), 20_000);
        child.stdout.on('data', () => {
          const match = /live at (http:\/\/\S+?)\/? /.exec(out);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        });
        void exited.then((code) => reject(new Error(`exited with ${code}: ${out}`)));
      });
      expect((await (await fetch(`${url}/health`)).json()) as object).to.deep.include({ status: 'ok', store: 'sqlite' });
      const widget = await fetch(`${url}/widget.js`);
      expect(widget.status).to.equal(200);
      expect(widget.headers.get('content-type')).to.match(/^text\/javascript/);
      expect(await widget.text()).to.include('taskwire-board');
      const page = await fetch(`${url}/`);
      expect(page.status).to.equal(200);
      expect(await page.text()).to.include('src="/app.js"');
      expect((await fetch(`${url}/plugins/time-tracking/panel.js`)).status).to.equal(200);
      // The native SQLite module and the migrations work from the runtime tree.
      const registered = await fetch(`${url}/api/auth/register`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: 'dist@example.test', name: 'Dist', password: 'correct horse battery' }),
      });
      expect(registered.status).to.equal(201);
      const { token } = (await registered.json()) as { token: string };
      const plugins = await fetch(`${url}/api/plugins`, { headers: { Authorization: `Bearer ${token}` } });
      expect(((await plugins.json()) as { items: { name: string }[] }).items.map((p) => p.name)).to.include('time-tracking');
      child.kill('SIGTERM');
      expect(await exited).to.equal(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
