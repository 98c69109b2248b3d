import { Command } from 'commander';
import { ingestCommand } from './commands/ingest.ts';
import { siteCommand } from './commands/site.ts';
import { runCli } from './run-cli.ts';

export function buildProgram(): Command {
  const program = new Command('tidemark')
    .description('Coastal erosion analysis: satellite scenes to shorelines, change statistics, forecasts and maps.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)');
  program.addCommand(ingestCommand());
  program.addCommand(siteCommand());
  return program;
}

process.exitCode = await runCli(buildProgram(), process.argv);
