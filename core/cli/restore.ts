// npm run restore -- <file>
// Replaces DATA_DIR/taskwire.sqlite with a backup, after checking the backup is
// a sound Taskwire database; refused while a server or worker has it open. The
// replaced database is kept beside it.

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { INSTANCE_KEY_FILE } from '../instance-key.js';
import { DatabaseInUseError, restoreSqlite } from '../store/sqlite/restore.js';
import { NotATaskwireDatabaseError } from '../store/sqlite/verify.js';
import { describeDatabase } from './describe.js';
import { exitWith, sqliteTargetOrExit } from './sqlite-file.js';

const USAGE = 'usage: npm run restore -- <file>   (stop the servers and workers on this DATA_DIR first)';

let parsed;
try {
  parsed = parseArgs({ options: {}, allowPositionals: true, strict: true });
} catch (error) {
  exitWith('restore', `${(error as Error).message}\n${USAGE}`);
}
if (parsed.positionals.length !== 1) exitWith('restore', `name one backup file\n${USAGE}`);
const backup = resolve(parsed.positionals[0]!);
const { config, path } = sqliteTargetOrExit('restore');
if (!existsSync(backup)) exitWith('restore', `there is no file at ${backup}`);

try {
  const restored = await restoreSqlite(backup, path);
  process.stdout.write(`Restored ${backup} into ${path}: ${describeDatabase(restored)}.\n`);
  if (restored.previous) process.stdout.write(`The database it replaced is kept at ${restored.previous}.\n`);
  if (!config.secretKey && !existsSync(join(config.dataDir, INSTANCE_KEY_FILE))) {
    process.stdout.write(
      `Warning: no SECRET_KEY and no ${INSTANCE_KEY_FILE} in ${config.dataDir}. Copy the backed-up instance's ${INSTANCE_KEY_FILE} there (or set its SECRET_KEY) before starting, or its embed and webhook secrets cannot be opened.\n`,
    );
  }
} catch (error) {
  if (error instanceof DatabaseInUseError || error instanceof NotATaskwireDatabaseError) exitWith('restore', error.message);
  exitWith('restore', `failed: ${(error as Error).message}`, 1);
}
