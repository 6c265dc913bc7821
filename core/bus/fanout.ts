// Hands each message to every local handler in order; a failing handler is
// logged and does not keep the message from the others.

import type { Logger } from '../logger.js';

export class Fanout<T> {
  private readonly handlers = new Set<(message: T) => void | Promise<void>>();
  private readonly logger: Pick<Logger, 'error'>;
  private readonly what: string;

  constructor(logger: Pick<Logger, 'error'>, what: string) {
    this.logger = logger;
    this.what = what;
  }

  add(handler: (message: T) => void | Promise<void>): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async deliver(message: T): Promise<void> {
    for (const handler of this.handlers) {
      try {
        await handler(message);
      } catch (error) {
        this.logger.error({ err: error }, `a ${this.what} subscriber failed`);
      }
    }
  }

  clear(): void {
    this.handlers.clear();
  }
}
