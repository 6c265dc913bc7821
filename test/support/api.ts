// An in-process Taskwire on an ephemeral port, on either store, and a small
// HTTP client that returns status, body and headers for assertions.

import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Store } from '../../core/store/ports.js';
import { loadConfig } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';
import { startServer, type RunningServer, type ServerTuning } from '../../core/server.js';
import { useService } from './services.js';
import { makeTempDir } from './tmp.js';

export type StoreKind = 'sqlite' | 'mongo';
export const STORE_KINDS: readonly StoreKind[] = ['sqlite', 'mongo'];

/** Cheap password hashing and generous limits, so suites measure behaviour, not scrypt. */
export const TEST_TUNING: ServerTuning = {
  passwords: { cost: 2 ** 10 },
  throttle: { loginPerIp: 100_000, loginFailuresPerAccount: 100_000, registerPerIp: 100_000, windowSeconds: 60 },
  // Jobs found within 50 ms, a lost lease noticed in 2 s, deliveries retried in under a second.
  jobs: {
    pollMs: 50,
    leaseMs: 2_000,
    notify: { deliveryRetry: { attempts: 4, backoff: { delayMs: 300, maxDelayMs: 1_000 } } },
    webhooks: { retry: { attempts: 50, backoff: { delayMs: 200, maxDelayMs: 1_000 } }, timeoutMs: 2_000 },
    plugins: { retry: { attempts: 50, backoff: { delayMs: 200, maxDelayMs: 1_000 } } },
  },
};

export interface ApiServer {
  url: string;
  server: RunningServer;
  /** Where the SQLite file lives (also set, unused, on Mongo runs). */
  dataDir: string;
  /** The database this server uses when it runs on the MongoDB-compatible server. */
  mongoUri: string | undefined;
  stop(): Promise<void>;
}

/** `extraEnv` adds variables of the operating contract (SMTP_URL, REDIS_URL...). */
export async function startApi(kind: StoreKind, ctx: Mocha.Context, tuning: ServerTuning = TEST_TUNING, extraEnv: Record<string, string> = {}): Promise<ApiServer> {
  // Suites register people freely; the registration policy has its own suite.
  const env: Record<string, string> = { PORT: '0', HOST: '127.0.0.1', DATA_DIR: makeTempDir('tw-api'), LOG_LEVEL: 'silent', REGISTRATION: 'open', ...extraEnv };
  if (kind === 'mongo') {
    const mongo = await useService(ctx, 'mongo', 'the API suite on MongoDB');
    env.MONGODB_URI = mongo.uri(`tw_api_${randomUUID().replaceAll('-', '').slice(0, 16)}`);
  }
  const config = loadConfig(env);
  const server = await startServer(config, createLogger(config.logLevel), tuning);
  // With PUBLIC_URL set (links in mail), the server still answers on its own loopback port.
  const { port } = server.http.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server, dataDir: env.DATA_DIR!, mongoUri: env.MONGODB_URI, stop: () => server.stop(1000) };
}

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export class Client {
  constructor(
    readonly baseUrl: string,
    readonly token: string | null = null,
  ) {}

  as(token: string | null): Client {
    return new Client(this.baseUrl, token);
  }

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (this.token) (init.headers as Record<string, string>).Authorization = `Bearer ${this.token}`;
    if (body !== undefined) {
      (init.headers as Record<string, string>)['Content-Type'] ??= 'application/json';
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const response = await fetch(`${this.baseUrl}${path}`, init);
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON: keep the text for the assertion message.
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  get = <T = any>(path: string) => this.request<T>('GET', path);
  post = <T = any>(path: string, body?: unknown) => this.request<T>('POST', path, body);
  patch = <T = any>(path: string, body?: unknown, headers?: Record<string, string>) => this.request<T>('PATCH', path, body, headers);
  delete = <T = any>(path: string) => this.request<T>('DELETE', path);
}

export interface TestUser {
  id: string;
  email: string;
  name: string;
  token: string;
  client: Client;
}

let counter = 0;
/**
 * Signs someone up. On an in-process server the address counts as proven (as after the mailed link), so
 * project admins can add them directly; the verification and invite suites sign up through the API alone.
 */
export async function registerUser(api: { url: string; server?: RunningServer }, name = `User ${++counter}`): Promise<TestUser> {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${randomUUID().slice(0, 8)}@example.test`;
  const reply = await new Client(api.url).post('/api/auth/register', { email, name, password: 'correct horse battery' });
  if (reply.status !== 201) throw new Error(`register failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  if (api.server) await markVerified(api.server.store, reply.body.user.id);
  return { id: reply.body.user.id, email, name, token: reply.body.token, client: new Client(api.url, reply.body.token) };
}

export async function markVerified(store: Store, userId: string): Promise<void> {
  const user = await store.users.get(userId);
  if (!user || user.verified !== false) return;
  await store.write({ projectId: null }, (uow) => uow.replace('users', { ...user, verified: true }));
}

/** Runs `body` once per store kind, with a server started for the whole describe block. */
export function forEachApi(title: string, body: (api: ApiServer) => void): void {
  for (const kind of STORE_KINDS) {
    describe(`${title} [${kind}]`, function () {
      const api = {} as ApiServer;
      before(async function () {
        this.timeout(600_000);
        Object.assign(api, await startApi(kind, this));
      });
      after(async () => api.stop?.());
      body(api);
    });
  }
}
