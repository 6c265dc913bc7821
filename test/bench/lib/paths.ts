// Where things are: the repository root, the bench's cache folder, child entry points.

import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export const REPO_ROOT = resolve(here, '../../..');
export const BENCH_DIR = resolve(here, '..');
export const CACHE_DIR = join(REPO_ROOT, '.cache', 'bench');
export const LOG_DIR = join(CACHE_DIR, 'logs');
export const PROFILE_DIR = join(CACHE_DIR, 'profiles');
export const WIDGET_FILE = join(REPO_ROOT, '.cache', 'widget', 'widget.js');

export const childEntry = (name: string): string => join(BENCH_DIR, 'children', `${name}.ts`);
