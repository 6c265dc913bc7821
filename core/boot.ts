// What every process entry (the server, the worker) does first: read the
// configuration, or print every problem with it and exit 2 without a stack trace.

import { ConfigError, loadConfig, type Config } from './config.js';

export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}
