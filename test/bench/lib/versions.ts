// Versions of what is measured: node, the packages that matter, the repo.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.js';

const PACKAGES = ['koa', '@koa/router', 'socket.io', 'socket.io-client', 'better-sqlite3', 'mongoose', 'zod', 'autocannon'] as const;

function packageVersion(dir: string): string {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'not installed';
  }
}

export function versions(): Record<string, string> {
  const out: Record<string, string> = { node: process.version, taskwire: packageVersion(REPO_ROOT) };
  for (const name of PACKAGES) out[name] = packageVersion(join(REPO_ROOT, 'node_modules', name));
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
    out['commit'] = `${commit}${dirty ? '+dirty' : ''}`;
  } catch {
    out['commit'] = 'unknown';
  }
  return out;
}
