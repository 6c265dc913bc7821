// Child entry: runs the bare better-sqlite3 update loop on request, in its own
// process, so the synchronous loop never blocks the orchestrator's event loop.

import { sqliteUpdateLoop } from '../baselines/sqlite-update-loop.js';
import { editTitle } from '../lib/fixtures.js';
import { announceReady, serveIpc } from '../lib/ipc-child.js';

serveIpc({
  run: (args) => {
    const { seconds, template } = args as { seconds: number; template: string };
    return sqliteUpdateLoop(seconds, template, editTitle(0), editTitle);
  },
  stop: () => {
    setTimeout(() => process.exit(0), 20);
    return true;
  },
});
announceReady({});
