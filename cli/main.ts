import { Command } from 'commander';
import { analyzeCommand } from './commands/analyze.ts';
import { demoCommand } from './commands/demo.ts';
import { extractCommand } from './commands/extract.ts';
import { fixturesCommand } from './commands/fixtures.ts';
import { ingestCommand } from './commands/ingest.ts';
import { keyCommand } from './commands/key.ts';
import { migrateCommand } from './commands/migrate.ts';
import { ratesCommand } from './commands/rates.ts';
import { serveCommand } from './commands/serve.ts';
import { siteCommand } from './commands/site.ts';
import { runCli } from './run-cli.ts';

export function buildProgram(): Command {
  const program = new Command('tidemark')
    .description(
      'Coastal erosion analysis: satellite scenes to shorelines, change statistics, forecasts and maps.',
    )
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)');
  for (const command of [
    extractCommand(),
    siteCommand(),
    ingestCommand(),
    ratesCommand(),
    analyzeCommand(),
    migrateCommand(),
    serveCommand(),
    keyCommand(),
    demoCommand(),
    fixturesCommand(),
  ]) {
    program.addCommand(command);
  }
  return program;
}

process.exitCode = await runCli(buildProgram(), process.argv);
