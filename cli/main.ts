import { Command } from 'commander';
import { EXIT, runCli } from './run-cli.ts';

/**
 * Every command, loaded on demand: `tidemark extract` should not pay for importing the API, the store and the
 * viewer build (seconds under tsx). `--help` and unknown commands load them all.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  extract: async () => (await import('./commands/extract.ts')).extractCommand(),
  site: async () => (await import('./commands/site.ts')).siteCommand(),
  ingest: async () => (await import('./commands/ingest.ts')).ingestCommand(),
  rates: async () => (await import('./commands/rates.ts')).ratesCommand(),
  analyze: async () => (await import('./commands/analyze.ts')).analyzeCommand(),
  migrate: async () => (await import('./commands/migrate.ts')).migrateCommand(),
  serve: async () => (await import('./commands/serve.ts')).serveCommand(),
  key: async () => (await import('./commands/key.ts')).keyCommand(),
  demo: async () => (await import('./commands/demo.ts')).demoCommand(),
  fixtures: async () => (await import('./commands/fixtures.ts')).fixturesCommand(),
};

export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command('tidemark')
    .description(
      'Coastal erosion analysis: satellite scenes to shorelines, change statistics, forecasts and maps.',
    )
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)');
  const requested = argv[2];
  // `--version` needs no command; `--help` and anything unknown list them all.
  const names =
    requested === '--version' || requested === '-V'
      ? []
      : requested !== undefined && requested in COMMANDS
        ? [requested]
        : Object.keys(COMMANDS);
  for (const command of await Promise.all(names.map((name) => COMMANDS[name]!())))
    program.addCommand(command);
  return program;
}

// `tidemark extract scene.tif | head` closes the pipe early: stop quietly, as other Unix tools do, instead
// of dying of an unhandled EPIPE with a stack trace. Only standard output is affected: files are written
// to a temporary name and renamed, never left half-written.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(EXIT.brokenPipe);
  process.stderr.write(`error: cannot write to standard output: ${err.message}\n`);
  process.exit(EXIT.failure);
});

process.exitCode = await runCli(await buildProgram(process.argv), process.argv);
