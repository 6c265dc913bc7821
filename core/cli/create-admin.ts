// npm run create-admin -- --email ana@example.com --name "Ana Lima"
// The password comes from standard input when it is piped, or from a hidden
// prompt on a terminal, so it never lands in shell history or `ps`.

import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createLocalBus } from '../bus/local.js';
import { ConfigError, loadConfig } from '../config.js';
import { AppError } from '../errors.js';
import { RegisterBody } from '../http/routes/auth/schema.js';
import { toProblems } from '../http/validate.js';
import { createLogger } from '../logger.js';
import { createAdmin } from '../services/auth.js';
import { DEFAULT_PASSWORD_POLICY } from '../services/credentials.js';
import { defaultClock } from '../services/deps.js';
import { openStore } from '../store/index.js';
import { readPassword } from './read-password.js';

const USAGE = 'usage: npm run create-admin -- --email <email> --name <name>   (password on stdin or at the prompt)';

function fail(message: string): never {
  process.stderr.write(`create-admin: ${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let flags: { email?: string | undefined; name?: string | undefined };
  try {
    flags = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' } }, strict: true }).values;
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
  if (!flags.email || !flags.name) fail(`--email and --name are required\n${USAGE}`);

  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const password = await readPassword('Password for the new admin: ');
  const parsed = RegisterBody.safeParse({ email: flags.email, name: flags.name, password });
  if (!parsed.success) {
    const problems = toProblems(parsed.error as z.ZodError, 'input').map((p) => `  - ${p.path}: ${p.message}`);
    fail(`the input is not valid:\n${problems.join('\n')}`);
  }

  const logger = createLogger('warn');
  const store = await openStore(config);
  const bus = createLocalBus(logger);
  try {
    const admin = await createAdmin({ store, bus, logger, ...defaultClock(), passwords: DEFAULT_PASSWORD_POLICY }, parsed.data);
    process.stdout.write(`Created admin ${admin.name} <${admin.email}> (id ${admin.id}) in the ${store.kind} store.\n`);
  } catch (error) {
    if (error instanceof AppError) fail(error.message);
    throw error;
  } finally {
    await store.close();
  }
}

await main();
