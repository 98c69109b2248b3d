import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyApiKey } from '../../store/api-keys.ts';
import { type ProvisionedTestDatabase, provisionTestDatabase } from '../../test/support/test-db.ts';

const KEY_TS = fileURLToPath(new URL('./key.ts', import.meta.url));
const RUN_CLI_TS = fileURLToPath(new URL('../run-cli.ts', import.meta.url));
// The command on its own program, as cli/main.ts mounts it (so this test does not depend on the wiring).
const PROGRAM = `
import { Command } from 'commander';
import { keyCommand } from ${JSON.stringify(KEY_TS)};
import { runCli } from ${JSON.stringify(RUN_CLI_TS)};
const program = new Command('tidemark').addCommand(keyCommand());
process.exitCode = await runCli(program, ['node', 'tidemark', ...process.argv.slice(1)]);
`;

function tidemarkKey(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', PROGRAM, 'key', ...args],
      {
        env: { ...env, LOG_LEVEL: 'warn' },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('tidemark key create|list|revoke', () => {
  let provisioned: ProvisionedTestDatabase;
  beforeAll(async () => {
    provisioned = await provisionTestDatabase();
  });
  afterAll(async () => {
    await provisioned?.drop();
  });

  it('creates a key printed once, lists it without the secret, and revokes it', async () => {
    const created = await tidemarkKey(
      ['create', '--role', 'analyst', '--name', 'field laptop'],
      provisioned.env,
    );
    expect(created.code, created.stderr).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^tmk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toMatch(/created analyst key #(\d+) \(field laptop\).*shown only now/);
    const id = Number(/#(\d+)/.exec(created.stderr)![1]);

    const listed = await tidemarkKey(['list'], provisioned.env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(`${id}\tanalyst\tfield laptop\t${key.slice(0, 17)}`);
    expect(listed.stdout).toContain('active');
    expect(listed.stdout).not.toContain(key.slice(17));

    const db = await provisioned.open();
    try {
      expect(await verifyApiKey(db, key)).toMatchObject({ ok: true, key: { id, role: 'analyst' } });
    } finally {
      await db.close();
    }

    const revoked = await tidemarkKey(['revoke', String(id)], provisioned.env);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toBe(`revoked analyst key #${id} (field laptop)\n`);
    const again = await tidemarkKey(['revoke', String(id)], provisioned.env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(
      new RegExp(`^analyst key #${id} \\(field laptop\\) was already revoked on \\d{4}-`),
    );
    expect((await tidemarkKey(['list'], provisioned.env)).stdout).toMatch(/\trevoked /);

    const reopened = await provisioned.open();
    try {
      expect(await verifyApiKey(reopened, key)).toEqual({ ok: false, reason: 'revoked' });
    } finally {
      await reopened.close();
    }
  });

  it.each([
    [['create'], /--role/],
    [['create', '--role', 'root'], /Allowed choices are analyst, admin/],
    [['create', '--role', 'admin', '--name', ' '], /1–100 characters/],
    [['revoke', 'abc'], /key id/],
    [['revoke', '0'], /key id/],
    [['revoke', '424242'], /no API key with id 424242/],
  ])('refuses %j with a clear message and a non-zero exit', async (args, message) => {
    const result = await tidemarkKey(args, provisioned.env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });
});
