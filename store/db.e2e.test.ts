import { describe, expect, inject, it } from 'vitest';
import { TidemarkError } from '../common/errors.ts';
import { withDatabase } from '../test/support/server-template.ts';
import { openDatabase, redactDatabaseUrl } from './db.ts';

async function openError(databaseUrl: string): Promise<TidemarkError> {
  const err = await openDatabase({ databaseUrl }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(TidemarkError);
  return err as TidemarkError;
}

describe('openDatabase errors', () => {
  it('names the server it cannot reach, never its password', async () => {
    const err = await openError('postgres://tidemark:s3cret-pw@127.0.0.1:1/tidemark');
    expect(err.message).toContain('postgres://tidemark@127.0.0.1:1/tidemark');
    expect(err.message).toMatch(/connection refused/);
    expect(err.message).not.toContain('s3cret-pw');
    expect(err.status).toBe(503);
  });

  it.each([
    ['not a URL', 'host=db password=s3cret-pw'],
    ['another scheme', 'mysql://root:s3cret-pw@127.0.0.1/x'],
  ])('rejects %s as DATABASE_URL without echoing it', async (_what, url) => {
    const err = await openError(url);
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toMatch(/not a valid postgres:\/\/ URL/);
    expect(err.message).not.toContain('s3cret-pw');
  });

  it('redacts passwords in the URL and in its query', () => {
    expect(redactDatabaseUrl('postgres://u:p%40ss@h:5432/db?sslmode=require&password=x')).toBe(
      'postgres://u@h:5432/db?sslmode=require',
    );
    expect(redactDatabaseUrl('::')).toBe('(unparseable DATABASE_URL)');
  });

  const server = inject('tidemarkServerTemplate');
  it.skipIf(server === null)('says so when the database does not exist on the server', async () => {
    const err = await openError(withDatabase(server!.adminUrl, `${server!.prefix}missing`));
    expect(err.message).toMatch(/the database does not exist/);
  });
});
