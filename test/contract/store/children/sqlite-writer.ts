// A separate process writing to a shared SQLite file: `tsx sqlite-writer.ts <path> <projectId> <writer> <count>`.
// It opens the store, prints "ready", waits for a line on stdin (so all writers start together), writes, exits 0.

import { randomUUID } from 'node:crypto';
import { createSqliteStore } from '../../../../core/store/sqlite/index.js';

const [path, projectId, writer, count] = process.argv.slice(2);
const store = createSqliteStore({ path: path! });
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
for (let i = 0; i < Number(count); i++) {
  await store.write({ projectId: projectId! }, (uow) => uow.append({ type: 'task.created', actorId: `writer-${writer}`, data: { id: randomUUID(), i } }));
  // Like a real server between requests: without a pause one process would re-take SQLite's write lock at once.
  await new Promise((resolve) => setTimeout(resolve, 1));
}
await store.close();
process.exit(0);
