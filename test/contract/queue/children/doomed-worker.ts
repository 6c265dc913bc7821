// A worker process that the Queue contract kills mid-job (harness.ts,
// killWorkerMidJob): it opens a queue on the backing given as JSON, runs jobs
// named argv[3] with a handler that never returns, and says which job it started.
// Usage: doomed-worker.ts <backing JSON> <job name> <leaseMs>

import { openOn, type Backing } from '../harness.js';

const [backingJson, name, leaseMs] = process.argv.slice(2);
if (!backingJson || !name || !leaseMs) throw new Error('usage: doomed-worker.ts <backing JSON> <job name> <leaseMs>');

const { queue } = await openOn(JSON.parse(backingJson) as Backing, { leaseMs: Number(leaseMs) });
queue.work(
  {
    [name]: (job) => {
      process.stdout.write(`started ${job.id}\n`);
      // Never settles: the parent SIGKILLs this process while the job runs.
      return new Promise<void>(() => undefined);
    },
  },
  { concurrency: 1 },
);
