// Discord's interaction signature: Ed25519 over `timestamp + raw body` with
// the application's public key, checked before anything reads the request,
// plus a freshness window of 300 s either way that Discord's helper libraries
// do not check (a captured request could otherwise be replayed much later).

import { createPublicKey, verify, type KeyObject } from 'node:crypto';

export const MAX_SKEW_SECONDS = 300;

// DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function publicKeyFromHex(hex: string): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

export type Verdict = { ok: true } | { ok: false; reason: string };

export function verifyDiscordRequest(
  publicKey: KeyObject,
  headers: { signature: string | undefined; timestamp: string | undefined },
  rawBody: string,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): Verdict {
  const { signature, timestamp } = headers;
  if (!signature || !timestamp) return { ok: false, reason: 'missing X-Signature-Ed25519 or X-Signature-Timestamp' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed timestamp' };
  if (Math.abs(nowSeconds - Number(timestamp)) > MAX_SKEW_SECONDS) return { ok: false, reason: 'timestamp outside the 300 s window' };
  if (!/^[0-9a-f]{128}$/i.test(signature)) return { ok: false, reason: 'malformed signature' };
  const valid = verify(null, Buffer.from(timestamp + rawBody), publicKey, Buffer.from(signature, 'hex'));
  return valid ? { ok: true } : { ok: false, reason: 'signature mismatch' };
}
