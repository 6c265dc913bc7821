// `npm run worker`: a process that only runs jobs (reminders, deliveries,
// digests, feed processing), so that work can leave the web nodes. With
// REDIS_URL it takes jobs from BullMQ and reaches web nodes' sockets through
// the Redis bus; without it, it runs the embedded queue on the same SQLite file
// (leases keep each job to one process), and in-app notifications reach
// sockets on the next inbox read instead of live.

import { createLocalBus } from '../core/bus/local.js';
import { createRedisBus } from '../core/bus/redis.js';
import { loadConfigOrExit } from '../core/boot.js';
import { createLogger } from '../core/logger.js';
import { DEFAULT_PASSWORD_POLICY } from '../core/services/credentials.js';
import { defaultClock, type ServiceDeps } from '../core/services/deps.js';
import { openStore } from '../core/store/index.js';
import { startJobs } from './runtime.js';
import { createPluginHookJobs } from './plugins/hooks.js';
import { loadPlugins } from '../core/plugins/registry.js';
import { PluginLoadError } from '../core/plugins/manifest.js';
import { createBridge } from '../adapters/bridge/bridge.js';
import { slackPlatformFor } from '../adapters/slack/adapter.js';
import { discordPlatformFor } from '../adapters/discord/adapter.js';

const config = loadConfigOrExit();
const logger = createLogger(config.logLevel);

try {
  // Plugin hooks run where jobs run, so the worker loads the same plugins as the web nodes.
  const registry = await loadPlugins({ specifiers: config.plugins });
  const store = await openStore(config);
  const bus = config.redisUrl ? await createRedisBus(config.redisUrl, logger) : createLocalBus(logger);
  if (!config.redisUrl) logger.warn('no REDIS_URL: this worker shares the SQLite queue; its notifications reach open sockets only through the inbox');
  const deps: ServiceDeps = { store, bus, logger, ...defaultClock(), passwords: DEFAULT_PASSWORD_POLICY };
  const publicUrl = config.publicUrl ?? `http://localhost:${config.port}`;
  // Chat posts queued by web nodes are sent from here too; the worker serves no Slack requests.
  const platforms = [config.slack ? slackPlatformFor(config.slack) : null, config.discord ? discordPlatformFor(config.discord) : null].filter((p) => p !== null);
  const jobs = await startJobs(config, deps, logger, publicUrl, {}, [
    (queue) => createBridge(deps, queue, platforms),
    (queue) => createPluginHookJobs({ deps, registry, queue }),
  ]);
  logger.info({ queue: jobs.queue.kind, store: store.kind }, 'Taskwire worker is running');
  process.stdout.write(`Taskwire worker is running (queue: ${jobs.queue.kind}, store: ${store.kind})\n`);

  let signalled = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (signalled) return;
    signalled = true;
    logger.info({ signal }, 'worker shutting down');
    (async () => {
      await jobs.close();
      await bus.close();
      await store.close();
    })().then(
      () => {
        logger.flush();
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'worker shutdown failed');
        logger.flush();
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
} catch (error) {
  if (error instanceof PluginLoadError) {
    process.stderr.write(`The Taskwire worker cannot start: ${error.message}\n`);
    process.exit(2);
  }
  logger.fatal({ err: error }, 'the Taskwire worker could not start');
  process.stderr.write(`The Taskwire worker could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
