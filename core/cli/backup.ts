// npm run backup -- <file> [--force]
// A consistent copy of DATA_DIR/taskwire.sqlite, taken while servers keep
// serving (SQLite's online backup API, from a read-only connection).

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { INSTANCE_KEY_FILE } from '../instance-key.js';
import { backupSqlite, BackupTargetExistsError } from '../store/sqlite/backup.js';
import { NotATaskwireDatabaseError } from '../store/sqlite/verify.js';
import { exitWith, sqliteTargetOrExit } from './sqlite-file.js';
import { describeDatabase } from './describe.js';

const USAGE = 'usage: npm run backup -- <file> [--force]   (copies DATA_DIR/taskwire.sqlite to <file>)';

let parsed;
try {
  parsed = parseArgs({ options: { force: { type: 'boolean' } }, allowPositionals: true, strict: true });
} catch (error) {
  exitWith('backup', `${(error as Error).message}\n${USAGE}`);
}
if (parsed.positionals.length !== 1) exitWith('backup', `name one file to write\n${USAGE}`);
const target = resolve(parsed.positionals[0]!);
const { config, path } = sqliteTargetOrExit('backup');
if (!existsSync(path)) exitWith('backup', `there is no database at ${path} (DATA_DIR=${config.dataDir})`);

const started = Date.now();
try {
  const check = await backupSqlite(path, target, { force: parsed.values.force === true });
  process.stdout.write(`Backed up ${path} to ${target}: ${describeDatabase(check)}, in ${Date.now() - started} ms.\n`);
  const keyFile = resolve(config.dataDir, INSTANCE_KEY_FILE);
  if (!config.secretKey && existsSync(keyFile)) {
    // The key is left out on purpose (it should not travel with the data it protects), but without it sealed secrets are lost.
    process.stdout.write(`Keep ${keyFile} safe as well: a restore needs it (or the same SECRET_KEY) to open embed and webhook secrets.\n`);
  }
} catch (error) {
  if (error instanceof BackupTargetExistsError || error instanceof NotATaskwireDatabaseError) exitWith('backup', error.message);
  exitWith('backup', `failed: ${(error as Error).message}`, 1);
}
