// A real HTTP receiver on loopback for webhook tests: records every request
// (headers and raw body) and answers what the test scripts (fail the next N,
// hang, redirect).

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
  /** The status it was answered with. */
  status: number;
}

export interface WebhookReceiver {
  url: string;
  received: Received[];
  /** Answer the next `times` requests with `status` (500 unless given). */
  failNext(times: number, status?: number): void;
  /** Answer every request with a redirect to `location` (which must never be followed). */
  redirectTo(location: string | null): void;
  /** Accepted (2xx) requests only, parsed. */
  accepted(): { id: string; type: string; seq: number; body: string; headers: IncomingHttpHeaders }[];
  stop(): Promise<void>;
}

export async function startReceiver(): Promise<WebhookReceiver> {
  const received: Received[] = [];
  let failures: { times: number; status: number } = { times: 0, status: 500 };
  let redirect: string | null = null;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let status = 204;
      if (redirect) status = 302;
      else if (failures.times > 0) {
        failures = { ...failures, times: failures.times - 1 };
        status = failures.status;
      }
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now(), status });
      if (status === 302) res.setHeader('Location', redirect!);
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    failNext: (times, status = 500) => (failures = { times, status }),
    redirectTo: (location) => (redirect = location),
    accepted: () =>
      received
        .filter((r) => r.status >= 200 && r.status < 300)
        .map((r) => {
          const parsed = JSON.parse(r.body) as { type: string; data: { seq: number } };
          return { id: String(r.headers['webhook-id']), type: parsed.type, seq: parsed.data.seq, body: r.body, headers: r.headers };
        }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
