// Secrets at rest: passwords through scrypt (memory-hard, in node:crypto), and
// bearer tokens as 256 random bits of which only a SHA-256 is stored.

import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface PasswordPolicy {
  /** scrypt cost N (a power of two); 2^15 by default, lower only in tests. */
  cost: number;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = { cost: 2 ** 15 };

const KEY_LENGTH = 32;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;

function scrypt(password: string, salt: Buffer, cost: number): Promise<Buffer> {
  const options: ScryptOptions = { N: cost, r: BLOCK_SIZE, p: PARALLELISM, maxmem: 256 * cost * BLOCK_SIZE };
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** `scrypt$N$r$p$salt$hash`, so the cost can rise later without breaking stored hashes. */
export async function hashPassword(password: string, policy: PasswordPolicy): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, policy.cost);
  return ['scrypt', policy.cost, BLOCK_SIZE, PARALLELISM, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, cost, , , salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !cost || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), Number(cost));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A stored hash to compare against for unknown emails, so a miss costs as much time as a wrong password. */
let decoy: Promise<string> | undefined;
export function decoyHash(policy: PasswordPolicy): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'), policy);
  return decoy;
}

/** tws: session, twa: API token, twe: embed token, twl: a one-time link, twh: an incoming hook's URL. */
export type TokenPrefix = 'tws' | 'twa' | 'twe' | 'twl' | 'twh';

/** A new bearer token: a prefix naming its kind (so leaks are recognisable) and 256 random bits. */
export function newToken(prefix: TokenPrefix): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
