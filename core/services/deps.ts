// What every service gets: the store, the bus, a clock and an id source, all
// injected so tests can run services against any store.

import { randomUUID } from 'node:crypto';
import type { Bus } from '../bus/ports.js';
import type { Actor } from '../domain/actor.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics/ports.js';
import type { Store, UnitOfWork, WriteScope } from '../store/ports.js';
import type { PasswordPolicy } from './credentials.js';

export interface ServiceDeps {
  store: Store;
  bus: Bus;
  logger: Logger;
  now(): Date;
  newId(): string;
  passwords: PasswordPolicy;
  /** `/task` sub-commands added by plugins (core/plugins/commands.ts); absent where no plugin runs. */
  pluginCommands?: PluginCommandPort;
  /** Where sockets, jobs and adapters report their work (core/metrics); absent in a process without /metrics. */
  metrics?: Metrics;
}

/** What the commands service needs of plugins: their sub-commands, found by name and run for an actor. */
export interface PluginCommandPort {
  /** Whether some loaded plugin adds `/task <name>`. */
  has(name: string): boolean;
  /** Every plugin sub-command, enabled anywhere or not (chat platforms register them up front). */
  list(): { name: string; usage: string; description: string }[];
  /** The `usage - description` lines of the sub-commands enabled in the project (for `/task help`). */
  help(projectId: string, name?: string): Promise<string[]>;
  /** Runs it; refusals (not enabled, role too low, the plugin's own) come back as a reply. */
  run(actor: Actor, projectId: string, name: string, args: string[]): Promise<{ ok: boolean; text: string; public: boolean }>;
}

export function defaultClock(): { now(): Date; newId(): string } {
  return { now: () => new Date(), newId: () => randomUUID() };
}

/**
 * Commits a unit of work, then publishes its changes. Publishing happens after
 * the commit and never undoes it: subscribers that miss a change catch up from
 * the feed by seq.
 */
export async function commit<T>(deps: ServiceDeps, scope: WriteScope, work: (uow: UnitOfWork) => T | Promise<T>): Promise<T> {
  const { result, changes } = await deps.store.write(scope, work);
  if (changes.length > 0) {
    try {
      await deps.bus.publish(changes);
    } catch (error) {
      deps.logger.error({ err: error, projectId: scope.projectId }, 'publishing committed changes failed');
    }
  }
  return result;
}
