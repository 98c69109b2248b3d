import { constants } from 'node:os';
import { type Command, CommanderError } from 'commander';
import { isTidemarkError, type TidemarkError } from '../common/errors.ts';

/**
 * Exit codes: 0 ok, 1 bad input or failure, 2 partial failure (some items failed), 128 + the signal's number
 * when interrupted (130 for SIGINT, 143 for SIGTERM), 141 the reader of standard output went away
 * (128 + SIGPIPE). These are the codes a shell reports for a process killed by the signal.
 */
export const EXIT = { ok: 0, failure: 1, partial: 2, interrupted: 130, brokenPipe: 141 } as const;

/** 128 + the signal's number, as a shell reports a process killed by it: 130 for SIGINT, 143 for SIGTERM. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + constants.signals[signal];
}

/** An ABORTED error records the signal that stopped the work (see withInterrupt); without one, SIGINT. */
function interruptedExitCode(err: TidemarkError): number {
  const signal = err.details?.signal;
  return typeof signal === 'string' && signal in constants.signals
    ? signalExitCode(signal as NodeJS.Signals)
    : EXIT.interrupted;
}

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
      return err.code === 'ABORTED' ? interruptedExitCode(err) : EXIT.failure;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`error: unexpected failure: ${message}\n`);
    if (process.env.DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return EXIT.failure;
  }
}
