// Entry point: reads the configuration, starts the server, and turns
// SIGTERM/SIGINT into an ordered shutdown with exit code 0.

import { loadConfigOrExit } from './boot.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';
import { PluginLoadError } from './plugins/manifest.js';

const config = loadConfigOrExit();
const logger = createLogger(config.logLevel);

try {
  const server = await startServer(config, logger);
  logger.info({ url: server.url, store: server.store.kind }, 'Taskwire is up');
  process.stdout.write(`\nTaskwire is live at ${server.url}/ (health: ${server.url}/health)\n\n`);

  let signalled = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (signalled) return;
    signalled = true;
    logger.info({ signal }, 'shutting down');
    server
      .stop()
      .then(() => {
        logger.info('stopped cleanly');
        logger.flush();
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        logger.flush();
        process.exit(1);
      });
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
} catch (error) {
  // Like a bad variable: one message naming the plugin and the problem, no stack trace.
  if (error instanceof PluginLoadError) {
    process.stderr.write(`Taskwire cannot start: ${error.message}\n`);
    process.exit(2);
  }
  logger.fatal({ err: error }, 'Taskwire could not start');
  process.stderr.write(`Taskwire could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
