// `npm run build`: a production build in dist/ that runs with plain `node` and
// only the runtime dependencies (`npm ci --omit=dev`): the widget bundles
// (esbuild), the server, jobs, adapters and built-in plugins (tsc, with source
// maps), and the files they read at run time, at the same places relative to
// the compiled modules as in the source tree.

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`build: ${command} ${args.join(' ')} failed\n`);
    process.exit(result.status ?? 1);
  }
}

/** Every file under `dir` (relative to ROOT) that `keep` accepts. */
function filesUnder(dir: string, keep: (path: string) => boolean): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    for (const entry of readdirSync(path)) {
      const full = join(path, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (keep(full)) found.push(relative(ROOT, full));
    }
  };
  if (existsSync(join(ROOT, dir))) walk(join(ROOT, dir));
  return found;
}

rmSync(DIST, { recursive: true, force: true });
run('npm', ['run', '-s', 'build:widget']);
run(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json']);

const assets = [
  // core/http/static.ts serves the bundles from ../../.cache/widget and the page from ../../widget/app.
  ...filesUnder('.cache/widget', () => true),
  ...filesUnder('widget/app', (path) => /\.(html|svg)$/.test(path)),
  // A plugin's panel and any other file it reads beside its module.
  ...filesUnder('plugins', (path) => !path.endsWith('.ts')),
];
for (const file of assets) cpSync(join(ROOT, file), join(DIST, file));
process.stdout.write(`build: dist/ is ready (${assets.length} assets); start it with \`npm run start:prod\` (node dist/core/main.js)\n`);
