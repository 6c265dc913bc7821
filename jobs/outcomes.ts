// Job outcomes for the Metrics port, told apart by the rule both queues apply
// (jobs/embedded.ts, jobs/bullmq.ts): a throw is final when it is a
// PermanentJobError or the last try, and is retried otherwise.

import type { Metrics } from '../core/metrics/ports.js';
import { isLastAttempt, PermanentJobError, type JobHandler } from './queue.js';

export function countOutcomes(handlers: Readonly<Record<string, JobHandler>>, metrics: Metrics | undefined): Readonly<Record<string, JobHandler>> {
  if (!metrics) return handlers;
  return Object.fromEntries(
    Object.entries(handlers).map(([name, handler]): [string, JobHandler] => [
      name,
      async (job) => {
        try {
          await handler(job);
        } catch (error) {
          metrics.jobRan(name, error instanceof PermanentJobError || isLastAttempt(job) ? 'failed' : 'retried');
          throw error;
        }
        metrics.jobRan(name, 'completed');
      },
    ]),
  );
}
