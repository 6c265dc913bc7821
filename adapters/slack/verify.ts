// Slack's request signature, checked before anything else reads the request:
// `v0=` HMAC-SHA256 of `v0:{timestamp}:{raw body}` with the signing secret,
// and a timestamp within 300 s of now in both directions (Bolt's own check
// accepts timestamps from the future, which would let a captured request be
// replayed later).

import { createHmac, timingSafeEqual } from 'node:crypto';

export const MAX_SKEW_SECONDS = 300;

export type Verdict = { ok: true } | { ok: false; reason: string };

export function verifySlackRequest(
  signingSecret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  rawBody: string,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): Verdict {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature) return { ok: false, reason: 'missing X-Slack-Request-Timestamp or X-Slack-Signature' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed timestamp' };
  if (Math.abs(nowSeconds - Number(timestamp)) > MAX_SKEW_SECONDS) return { ok: false, reason: 'timestamp outside the 300 s window' };
  const expected = `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
  const given = Buffer.from(signature);
  const wanted = Buffer.from(expected);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}
