// Scratch directories for test servers and fixtures. They are removed when the
// test process exits, pass or fail, so repeated runs do not fill /tmp.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dirs = new Set<string>();
let cleanupRegistered = false;

export function makeTempDir(prefix: string): string {
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    // 'exit' handlers must be synchronous, hence rmSync.
    process.on('exit', removeAll);
  }
  const dir = mkdtempSync(join(tmpdir(), `taskwire-${prefix}-`));
  dirs.add(dir);
  return dir;
}

function removeAll(): void {
  for (const dir of dirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Best effort: a failed cleanup must not change the run's exit code.
    }
  }
  dirs.clear();
}
