// The composition root's work, apart from process concerns: config → store →
// bus → presence → http + realtime, and an ordered stop. main.ts adds signals and exit codes; tests
// start the same thing in-process.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { createLocalBus } from './bus/local.js';
import type { Bus } from './bus/ports.js';
import { createRedisBus } from './bus/redis.js';
import type { Config } from './config.js';
import { apiRoutes } from './http/api.js';
import { createApp } from './http/app.js';
import { priorityLane } from './http/priority-lane.js';
import type { Logger } from './logger.js';
import { createLocalPresenceStore } from './presence/local.js';
import type { PresenceStore } from './presence/ports.js';
import { createRedisPresenceStore } from './presence/redis.js';
import { openLimiters } from './limits/index.js';
import { PresenceTracker } from './realtime/presence-tracker.js';
import { attachRealtime, DEFAULT_REALTIME_OPTIONS, type Realtime, type RealtimeOptions } from './realtime/server.js';
import type { Postman } from './services/mail.js';
import { UnavailableError } from './errors.js';
import { resolveInstanceKey } from './instance-key.js';
import { authenticateAny } from './services/authn.js';
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from './services/credentials.js';
import { defaultClock } from './services/deps.js';
import { createSealer } from './services/sealing.js';
import { AuthThrottle, DEFAULT_THROTTLE_LIMITS, type ThrottleLimits } from './services/throttle.js';
import { openStore } from './store/index.js';
import { createNodeMetrics } from './metrics/registry.js';
import { startJobs, type JobsRuntime, type JobsTuning } from '../jobs/runtime.js';
import { createBridge } from '../adapters/bridge/bridge.js';
import { createSlackAdapter } from '../adapters/slack/adapter.js';
import { createDiscordAdapter } from '../adapters/discord/adapter.js';
import type { TestSender } from './services/notifications.js';
import type { Store } from './store/ports.js';
import { loadPlugins } from './plugins/registry.js';
import { pluginCommands } from './plugins/commands.js';
import { pluginPanels } from './http/plugin-panels.js';
import type { PluginCommandPort } from './services/deps.js';
import { createPluginHookJobs, type PluginHookJobs } from '../jobs/plugins/hooks.js';

/** The accept queue of the listening socket (Node's default is 511). */
const LISTEN_BACKLOG = 4_096;

export interface RunningServer {
  /** Where this node answers, e.g. http://127.0.0.1:3000. */
  url: string;
  store: Store;
  bus: Bus;
  tracker: PresenceTracker;
  jobs: JobsRuntime;
  http: Server;
  /** Stops accepting, lets in-flight requests finish (up to drainMs), then closes the bus and the store. */
  stop(drainMs?: number): Promise<void>;
}

/** Knobs tests turn (cheaper password hashing, tighter limits); production uses the defaults. */
export interface ServerTuning {
  passwords?: PasswordPolicy;
  throttle?: ThrottleLimits;
  realtime?: Partial<RealtimeOptions>;
  jobs?: JobsTuning;
}

export async function startServer(config: Config, logger: Logger, tuning: ServerTuning = {}): Promise<RunningServer> {
  const realtimeOptions: RealtimeOptions = { ...DEFAULT_REALTIME_OPTIONS, ...tuning.realtime };
  // Before anything opens: a bad plugin stops the boot (PluginLoadError) with nothing to clean up.
  const registry = await loadPlugins({ specifiers: config.plugins });
  const store = await openStore(config);
  const bus: Bus = config.redisUrl ? await createRedisBus(config.redisUrl, logger) : createLocalBus(logger);
  const presenceStore: PresenceStore = config.redisUrl
    ? await createRedisPresenceStore(config.redisUrl, realtimeOptions.heartbeatMs * 3, logger)
    : createLocalPresenceStore();
  const limiters = await openLimiters(config, logger);
  const tracker = new PresenceTracker({
    nodeId: randomUUID(),
    store: presenceStore,
    bus,
    timings: realtimeOptions.presence,
    heartbeatMs: realtimeOptions.heartbeatMs,
    logger,
  });
  // Jobs start once the port is bound (their links need the URL); until then account mail and figures wait for them.
  let jobs: JobsRuntime | null = null;
  let publicUrl = config.publicUrl ?? `http://localhost:${config.port}`;
  const postman: Postman = {
    get delivers() {
      return config.smtpUrl !== null;
    },
    send: async (mail) => {
      if (!jobs) throw new UnavailableError('Mail is starting; try again.');
      await jobs.postman.send(mail);
    },
  };
  let pluginHooks: PluginHookJobs | null = null;
  const metrics = createNodeMetrics({ queueDepth: async () => (jobs ? jobs.queue.counts() : null) });
  const deps = {
    store,
    bus,
    logger,
    plugins: registry,
    pluginJobs: { kick: async (plugin: string, projectId: string) => pluginHooks?.kick(plugin, projectId) },
    pluginCommands: undefined as PluginCommandPort | undefined,
    metrics,
    ...defaultClock(),
    passwords: tuning.passwords ?? DEFAULT_PASSWORD_POLICY,
    throttle: new AuthThrottle(tuning.throttle ?? DEFAULT_THROTTLE_LIMITS, limiters),
    limiters,
    sealer: createSealer(resolveInstanceKey(config)),
    postman,
    links: { publicUrl: () => publicUrl },
    registration: config.registration,
    webhookAllowPrivate: config.webhookAllowPrivate,
    webhookJobs: {
      kick: async (webhookId: string) => jobs?.webhooks.kick(webhookId),
      retryOne: async (deliveryId: string) => {
        if (!jobs) throw new UnavailableError('Jobs are starting; try again.');
        await jobs.webhooks.retryOne(deliveryId);
      },
      sendTest: async (webhookId: string, actorId: string) => {
        if (!jobs) throw new UnavailableError('Jobs are starting; try again.');
        return jobs.webhooks.sendTest(webhookId, actorId);
      },
    },
    purgeJobs: {
      later: async (projectId: string, delayMs: number) => {
        if (!jobs) throw new UnavailableError('Jobs are starting; try again.');
        await jobs.purge.later(projectId, delayMs);
      },
    },
  };
  deps.pluginCommands = pluginCommands(deps, registry);
  let realtimeRef: Realtime | null = null;
  const authenticate = (token: string, origin: string | null, userToken: string | null) => authenticateAny(deps, token, origin, userToken);
  const testSender: TestSender = {
    sendTest: async (actor, channel) => {
      if (!jobs) throw new UnavailableError('Notifications are starting; try again.');
      await jobs.notifier.sendTest(actor, channel);
    },
  };
  const slack = config.slack ? createSlackAdapter({ deps, config: config.slack, logger, publicUrl: () => publicUrl }) : null;
  const discord = config.discord ? createDiscordAdapter({ deps, config: config.discord, logger, publicUrl: () => publicUrl }) : null;
  const platforms = [slack?.platform, discord?.platform].filter((p) => p !== undefined);
  const app = createApp({
    raw: [pluginPanels(registry), slack?.middleware, discord?.middleware].filter((m) => m !== null && m !== undefined),
    metrics: { recorder: metrics, exposition: metrics, token: config.metricsToken },
    trustProxy: config.trustProxy,
    logger,
    routes: apiRoutes(deps, tracker, testSender, {
      sockets: () => realtimeRef?.io.of('/').sockets.size ?? 0,
      queue: async () => {
        if (!jobs) return { kind: config.redisUrl ? 'bullmq' : 'inline', waiting: 0, delayed: 0, active: 0, failed: 0 };
        return { kind: jobs.queue.kind, ...(await jobs.queue.counts()) };
      },
    }, { listCacheBytes: config.listCacheBytes }),
    authenticate,
    health: [
      { name: 'store', kind: store.kind, ping: () => store.ping() },
      // A queue outage does not stop the node from serving (jobs wait, the reconciler re-queues them), but it is reported.
      { name: 'queue', kind: config.redisUrl ? 'bullmq' : 'inline', ping: () => (jobs ? jobs.queue.ping() : Promise.resolve()) },
      { name: 'bus', kind: bus.kind, ping: () => bus.ping() },
    ],
  });

  const http = createServer(priorityLane(app.callback()).handle);
  http.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    // A reconnect storm (a node restarted, a network blip) opens thousands of connections at once: a deep accept
    // queue holds them while the loop works instead of dropping SYNs (clients then wait 1 s, 3 s, ... to retry).
    // The kernel caps it at net.core.somaxconn.
    http.listen({ port: config.port, host: config.host, backlog: LISTEN_BACKLOG }, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const realtime: Realtime = attachRealtime({ http, services: deps, bus, tracker, authenticate, options: realtimeOptions });
  const address = http.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = config.publicUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  realtimeRef = realtime;
  publicUrl = url;
  const runningJobs = await startJobs(config, deps, logger, url, { ...tuning.jobs, sealer: deps.sealer }, [
    (queue) => createBridge(deps, queue, platforms, tuning.jobs?.bridge),
    (queue) => (pluginHooks = createPluginHookJobs({ deps, registry, queue, ...tuning.jobs?.plugins })),
  ]);
  await slack?.start();
  await discord?.start();
  jobs = runningJobs;

  let stopping: Promise<void> | null = null;
  const stop = (drainMs = 10_000): Promise<void> => {
    stopping ??= (async () => {
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeIdleConnections();
      await realtime.close();
      const timer = setTimeout(() => http.closeAllConnections(), drainMs);
      await closed;
      clearTimeout(timer);
      await slack?.stop();
      await discord?.stop();
      await runningJobs.close(drainMs);
      tracker.close();
      await presenceStore.close();
      await limiters.close();
      await bus.close();
      await store.close();
    })();
    return stopping;
  };

  return { url, store, bus, tracker, jobs: runningJobs, http, stop };
}
