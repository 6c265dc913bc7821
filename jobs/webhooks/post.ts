// One signed POST to a webhook's URL: the target is vetted (scheme, every
// resolved address) and the connection goes to the vetted address, so DNS
// cannot answer differently between the check and the connect. No redirects
// are followed, the answer is read up to 64 KB, and the whole exchange is
// bounded by a timeout.

import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { vetUrl } from '../../core/services/url-guard.js';

export const WEBHOOK_TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 64 * 1024;

export interface PostOutcome {
  /** The HTTP status, or null when no answer came (refused, timed out, blocked). */
  status: number | null;
  /** Why it did not succeed, for the delivery log; null for a 2xx. */
  error: string | null;
}

export async function postSigned(url: string, body: string, headers: Record<string, string>, allowPrivate: boolean, timeoutMs = WEBHOOK_TIMEOUT_MS): Promise<PostOutcome> {
  let target;
  try {
    target = await vetUrl(url, allowPrivate);
  } catch (error) {
    return { status: null, error: `refused target: ${error instanceof Error ? error.message : String(error)}` };
  }
  const pinned: LookupFunction = (_host, options, callback) => {
    if (options?.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const request = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<PostOutcome>((resolve) => {
    let settled = false;
    const settle = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const req = request(
      target.url,
      {
        method: 'POST',
        lookup: pinned,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body).toString(), 'User-Agent': 'Taskwire-Webhooks/1', ...headers },
      },
      (res: IncomingMessage) => {
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          // The answer is not needed beyond its status; a huge one is cut off, not buffered.
          if (read > MAX_RESPONSE_BYTES) res.destroy();
        });
        const done = () => {
          const status = res.statusCode ?? null;
          if (status !== null && status >= 200 && status < 300) settle({ status, error: null });
          else if (status !== null && status >= 300 && status < 400) settle({ status, error: `answered ${status}; redirects are not followed` });
          else settle({ status, error: `answered ${status}` });
        };
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      settle({ status: null, error: `no answer within ${timeoutMs / 1000} s` });
    }, timeoutMs);
    req.on('error', (error) => settle({ status: null, error: `connection failed: ${error.message}` }));
    req.end(body);
  });
}
