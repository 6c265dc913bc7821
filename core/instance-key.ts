// The instance key that seals stored secrets: SECRET_KEY when set (required for
// several nodes, which must agree), else a random key kept in DATA_DIR.

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.js';

export const INSTANCE_KEY_FILE = 'instance.key';

export function resolveInstanceKey(config: Pick<Config, 'secretKey' | 'dataDir'>): string {
  if (config.secretKey) return config.secretKey;
  const path = join(config.dataDir, INSTANCE_KEY_FILE);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64url');
  // wx: two processes booting at once cannot both write a different key.
  try {
    writeFileSync(path, `${key}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch {
    return readFileSync(path, 'utf8').trim();
  }
}
