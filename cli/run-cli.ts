import { type Command, CommanderError } from 'commander';
import { isTidemarkError } from '../common/errors.ts';

/**
 * Exit codes: 0 ok, 1 bad input or failure, 2 partial failure (some items failed), 130 interrupted, 141 the
 * reader of standard output went away (128 + SIGPIPE, as other Unix tools end).
 */
export const EXIT = { ok: 0, failure: 1, partial: 2, interrupted: 130, brokenPipe: 141 } as const;

/**
 * Runs a commander program and turns every error into one line on stderr and a non-zero exit code.
 * A user never sees a stack trace for an error they caused; unexpected errors show theirs with DEBUG=1.
 */
export async function runCli(program: Command, argv: string[]): Promise<number> {
  program.exitOverride();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander has already printed its message (or the help text, for --help/--version).
      return err.exitCode;
    }
    if (isTidemarkError(err)) {
      process.stderr.write(`error: ${err.message}\n`);
      return err.code === 'ABORTED' ? EXIT.interrupted : EXIT.failure;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`error: unexpected failure: ${message}\n`);
    if (process.env.DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return EXIT.failure;
  }
}
