// A Platform whose failed calls count as adapter errors, whichever part made
// the call (the mirroring sender, a notification DM), so no caller has to.

import type { Metrics } from '../../core/metrics/ports.js';
import type { Platform } from './ports.js';

export function countingErrors(platform: Platform, metrics: Metrics | undefined): Platform {
  if (!metrics) return platform;
  const counted =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await call(...args);
      } catch (error) {
        metrics.adapterError(platform.name);
        throw error;
      }
    };
  return {
    name: platform.name,
    post: counted(platform.post.bind(platform)),
    update: counted(platform.update.bind(platform)),
    remove: counted(platform.remove.bind(platform)),
    ephemeral: counted(platform.ephemeral.bind(platform)),
    directMessage: counted(platform.directMessage.bind(platform)),
  };
}
