import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { SQLITE_FILE } from '../../core/store/index.js';
import { createSqliteStore } from '../../core/store/sqlite/index.js';
import { verifyPassword } from '../../core/services/credentials.js';
import { makeTempDir } from '../support/tmp.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function createAdmin(dataDir: string, args: string[], stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'core/cli/create-admin.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdin.end(stdin);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run create-admin', function () {
  this.timeout(60_000);

  it('creates an administrator with the password from stdin, stored only as a hash', async () => {
    const dataDir = makeTempDir('tw-admin');
    const result = await createAdmin(dataDir, ['--email', 'Boss@Example.com', '--name', 'The Boss'], 'a long secret\n');
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.include('Created admin The Boss <boss@example.com>');
    const store = createSqliteStore({ path: join(dataDir, SQLITE_FILE) });
    try {
      const user = await store.users.getByEmail('boss@example.com');
      expect(user?.isAdmin).to.equal(true);
      expect(user?.passwordHash).to.match(/^scrypt\$/).and.not.include('a long secret');
      expect(await verifyPassword('a long secret', user!.passwordHash!)).to.equal(true);
    } finally {
      await store.close();
    }
  });

  it('explains every problem and exits non-zero on bad input, a missing flag or an existing email', async () => {
    const dataDir = makeTempDir('tw-admin');
    const bad = await createAdmin(dataDir, ['--email', 'not-an-email', '--name', 'X'], 'short\n');
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.include('email: must be an email address').and.include('password: must be at least 8 characters');
    const missing = await createAdmin(dataDir, ['--name', 'X'], '');
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.include('--email and --name are required');
    expect((await createAdmin(dataDir, ['--email', 'a@example.com', '--name', 'A'], 'long enough pw\n')).code).to.equal(0);
    const again = await createAdmin(dataDir, ['--email', 'A@example.com', '--name', 'A'], 'long enough pw\n');
    expect(again.code).to.equal(2);
    expect(again.stderr).to.include('already exists');
    expect(again.stderr).to.not.match(/\n\s+at /);
  });
});
