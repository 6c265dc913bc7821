// The feed's guarantee across processes on one SQLite file (the server and a
// worker, say): seq stays contiguous and in commit order, and a reader in yet
// another process never sees n+1 before n.

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Change } from '../../../core/store/ports.js';
import { createSqliteStore } from '../../../core/store/sqlite/index.js';
import { makeTempDir } from '../../support/tmp.js';

const WRITER = fileURLToPath(new URL('./children/sqlite-writer.ts', import.meta.url));
const PROCESSES = 4;
const WRITES_EACH = 200;

interface Writer {
  ready: Promise<void>;
  go(): void;
  finished: Promise<void>;
}

function startWriter(path: string, projectId: string, writer: number): Writer {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, path, projectId, String(writer), String(WRITES_EACH)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    ready: new Promise((resolve) => child.stdout.once('data', () => resolve())),
    go: () => child.stdin.write('go\n'),
    finished: new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${writer} exited ${code}: ${stderr}`))))),
  };
}

describe('Store change feed [sqlite, several processes on one file]', function () {
  this.timeout(120_000);

  it(`stays contiguous and in commit order with ${PROCESSES} writer processes × ${WRITES_EACH} writes while this process reads`, async () => {
    const path = join(makeTempDir('tw-procs'), 'shared.sqlite');
    const reader = createSqliteStore({ path });
    const projectId = 'shared-project';
    const seen: Change[] = [];
    const violations: string[] = [];
    const progress = { writing: true };
    const children = Array.from({ length: PROCESSES }, (_, w) => startWriter(path, projectId, w));
    await Promise.all(children.map((c) => c.ready));
    children.forEach((c) => c.go());
    const writers = Promise.all(children.map((c) => c.finished)).finally(() => (progress.writing = false));
    try {
      while (progress.writing || seen.length < PROCESSES * WRITES_EACH) {
        const batch = await reader.changes.list(projectId, seen.length, 500);
        batch.forEach((change, i) => {
          if (change.seq !== seen.length + i + 1) violations.push(`after ${seen.length + i} got ${change.seq}`);
        });
        seen.push(...batch);
        if (violations.length > 0 || (!progress.writing && batch.length === 0)) break;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      await writers;
      expect(violations).to.deep.equal([]);
      expect(seen.map((c) => c.seq)).to.deep.equal(Array.from({ length: PROCESSES * WRITES_EACH }, (_, i) => i + 1));
      // The writers really overlapped: their commits interleave, not one process after another.
      const switches = seen.filter((c, i) => i > 0 && c.actorId !== seen[i - 1]!.actorId).length;
      expect(switches, `writer processes interleaving (${switches} switches)`).to.be.above(PROCESSES * 5);
      for (let w = 0; w < PROCESSES; w++) {
        expect(seen.filter((c) => c.actorId === `writer-${w}`).map((c) => c.data['i'])).to.deep.equal(Array.from({ length: WRITES_EACH }, (_, i) => i));
      }
    } finally {
      await reader.close();
    }
  });
});
