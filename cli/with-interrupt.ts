import { TidemarkError } from '../common/errors.ts';

/**
 * Runs `work` with an AbortSignal that fires on SIGINT/SIGTERM, so long work stops cleanly (pools destroyed,
 * temp files removed by their owners) instead of dying mid-write. A second Ctrl-C exits at once.
 */
export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    process.stderr.write(`\n${sig}: stopping…\n`);
    controller.abort(new TidemarkError('ABORTED', `interrupted by ${sig}`));
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
