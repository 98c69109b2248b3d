import { Command, InvalidArgumentError, Option } from 'commander';
import { createLogger } from '../../common/logger.ts';
import {
  API_KEY_ROLES,
  type ApiKeyRole,
  createApiKey,
  getApiKey,
  listApiKeys,
  revokeApiKey,
} from '../../store/api-keys.ts';
import { openDatabase } from '../../store/db.ts';

function parseKeyId(value: string): number {
  if (!/^[1-9]\d{0,9}$/.test(value) || Number(value) > 2_147_483_647) {
    throw new InvalidArgumentError('expected a key id (a positive integer, see `tidemark key list`)');
  }
  return Number(value);
}

function parseName(value: string): string {
  if (value.trim().length === 0 || value.length > 100)
    throw new InvalidArgumentError('a name is 1–100 characters');
  return value.trim();
}

const iso = (d: Date | null) => (d === null ? '-' : d.toISOString());

/** `tidemark key create|list|revoke`: API keys for writes (analyst: uploads, zones, sites; admin: keys too). */
export function keyCommand(): Command {
  const key = new Command('key').description(
    'Create, list and revoke API keys (sent as "Authorization: Bearer <key>")',
  );
  key
    .command('create')
    .description('Create a key and print it once (only a salted hash is stored)')
    .addOption(
      new Option('--role <role>', 'analyst (uploads, zones, sites) or admin (also keys)')
        .choices(API_KEY_ROLES as string[])
        .makeOptionMandatory(),
    )
    .option('--name <name>', 'what the key is for, e.g. "QGIS desk"', parseName)
    .action(async (opts: { role: ApiKeyRole; name?: string }) => {
      const db = await openDatabase({ logger: createLogger('key') });
      try {
        const { key: secret, apiKey } = await createApiKey(db.knex, {
          role: opts.role,
          ...(opts.name === undefined ? {} : { name: opts.name }),
        });
        process.stdout.write(`${secret}\n`);
        process.stderr.write(
          `created ${apiKey.role} key #${apiKey.id} (${apiKey.name}); the key above is shown only now: store it safely\n`,
        );
      } finally {
        await db.close();
      }
    });
  key
    .command('list')
    .description('List keys (id, role, name, prefix, created, last used, revoked); never their secrets')
    .action(async () => {
      const db = await openDatabase({ logger: createLogger('key') });
      try {
        for (const k of await listApiKeys(db)) {
          process.stdout.write(
            `${k.id}\t${k.role}\t${k.name}\ttmk_${k.prefix}_…\t${iso(k.createdAt)}\t${iso(k.lastUsedAt)}\t${k.revokedAt === null ? 'active' : `revoked ${iso(k.revokedAt)}`}\n`,
          );
        }
      } finally {
        await db.close();
      }
    });
  key
    .command('revoke')
    .description('Revoke a key: requests with it get 401 from now on')
    .argument('<id>', 'key id (see `tidemark key list`)', parseKeyId)
    .action(async (id: number) => {
      const db = await openDatabase({ logger: createLogger('key') });
      try {
        const before = await getApiKey(db, id);
        const k = await revokeApiKey(db, id);
        process.stdout.write(
          before?.revokedAt
            ? `${k.role} key #${k.id} (${k.name}) was already revoked on ${iso(k.revokedAt)}\n`
            : `revoked ${k.role} key #${k.id} (${k.name})\n`,
        );
      } finally {
        await db.close();
      }
    });
  return key;
}
