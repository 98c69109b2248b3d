import { TidemarkError } from '../../common/errors.ts';

/** Runs a parser expected to reject its input with a 400, and returns the problem's `invalidParams`. */
export function invalidParams(fn: () => unknown): Array<{ name: string; reason: string }> {
  try {
    fn();
  } catch (err) {
    if (err instanceof TidemarkError && err.status === 400) {
      return err.details?.invalidParams as Array<{ name: string; reason: string }>;
    }
    throw err;
  }
  throw new Error('was accepted');
}
