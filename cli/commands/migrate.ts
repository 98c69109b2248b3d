import { Argument, Command } from 'commander';
import { TidemarkError } from '../../common/errors.ts';
import { createLogger } from '../../common/logger.ts';
import { openDatabase } from '../../store/db.ts';
import { migrateDown, migrateUp, migrationStatus } from '../../store/run-migrations.ts';

type Action = 'up' | 'down' | 'status';

export function migrateCommand(): Command {
  return new Command('migrate')
    .description('Apply, revert or list database schema migrations')
    .addArgument(
      new Argument('[action]', 'up: apply pending; down: revert the latest; status: list')
        .choices(['up', 'down', 'status'])
        .default('up'),
    )
    .option('--all', 'with down: revert every migration (drops all Tidemark tables and their data)')
    .addHelpText(
      'after',
      '\nUses DATABASE_URL when set, otherwise the embedded database in TIDEMARK_DATA_DIR (default ./.tidemark).\n' +
        'Other commands apply pending migrations on start; this one never migrates implicitly.',
    )
    .action(async (action: Action, opts: { all?: boolean }) => {
      if (opts.all && action !== 'down') {
        throw new TidemarkError('INVALID_INPUT', '--all only applies to `tidemark migrate down`');
      }
      const db = await openDatabase({ migrate: false, logger: createLogger('migrate') });
      try {
        const out = (line: string) => process.stdout.write(`${line}\n`);
        if (action === 'up') {
          const applied = await migrateUp(db.knex);
          out(
            applied.length === 0 ? 'already up to date' : applied.map((name) => `applied ${name}`).join('\n'),
          );
        } else if (action === 'down') {
          const reverted = await migrateDown(db.knex, { all: opts.all === true });
          out(
            reverted.length === 0
              ? 'nothing to revert'
              : reverted.map((name) => `reverted ${name}`).join('\n'),
          );
        } else {
          for (const m of await migrationStatus(db.knex))
            out(
              `${m.unknown ? 'applied, unknown to this version' : m.applied ? 'applied' : 'pending'}\t${m.name}`,
            );
        }
        process.stderr.write(`database: ${db.url} (${db.mode})\n`);
      } finally {
        await db.close();
      }
    });
}
