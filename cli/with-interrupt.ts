import { TidemarkError } from '../common/errors.ts';
import { signalExitCode } from './run-cli.ts';

/**
 * Runs `work` with an AbortSignal that fires on SIGINT/SIGTERM, so long work stops cleanly (pools destroyed,
 * temp files removed by their owners) instead of dying mid-write. A second Ctrl-C exits at once. Either way
 * the exit code is 128 + the signal's number (130 for SIGINT, 143 for SIGTERM), as if the signal had killed
 * the process: the error records the signal for runCli.
 */
export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupts += 1;
    if (interrupts > 1) process.exit(signalExitCode(sig));
    process.stderr.write(`\n${sig}: stopping…\n`);
    controller.abort(new TidemarkError('ABORTED', `interrupted by ${sig}`, { details: { signal: sig } }));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } catch (err) {
    if (controller.signal.aborted) throw controller.signal.reason;
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
