// Structured JSON logs (pino). One root logger per process; request handlers
// log through a child carrying the request id.

import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger };

export function createLogger(level: LogLevel): Logger {
  return pino({
    level,
    base: { service: 'taskwire' },
    // Tokens and passwords never reach the logs even if a handler logs a whole request.
    redact: { paths: ['req.headers.authorization', '*.password', '*.token', 'password', 'token'], censor: '[redacted]' },
  });
}
