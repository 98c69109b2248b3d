import { TidemarkError } from '../../common/errors.ts';

export interface AuthConfig {
  /** Reads (GET/HEAD) need no key. Default: TIDEMARK_PUBLIC_READS, unless set to 0. */
  publicReads: boolean;
  /** Uploads per key: a burst of `burst`, then `perMinute` (TIDEMARK_UPLOAD_BURST, TIDEMARK_UPLOAD_RATE_PER_MIN). */
  uploadRate: { burst: number; perMinute: number };
}

function envNumber(name: string, fallback: number, check: (n: number) => boolean, expected: string): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!check(n)) throw new TidemarkError('INVALID_INPUT', `${name} must be ${expected}, got '${raw}'`);
  return n;
}

/** The configuration from the environment; a malformed variable is an error at start-up, never ignored. */
export function authConfigFromEnv(): AuthConfig {
  const reads = process.env.TIDEMARK_PUBLIC_READS;
  if (reads !== undefined && reads !== '' && reads !== '0' && reads !== '1') {
    throw new TidemarkError('INVALID_INPUT', `TIDEMARK_PUBLIC_READS must be 0 or 1, got '${reads}'`);
  }
  return {
    publicReads: reads !== '0',
    uploadRate: {
      burst: envNumber('TIDEMARK_UPLOAD_BURST', 5, (n) => Number.isInteger(n) && n >= 1, 'an integer ≥ 1'),
      perMinute: envNumber(
        'TIDEMARK_UPLOAD_RATE_PER_MIN',
        10,
        (n) => Number.isFinite(n) && n > 0,
        'a positive number',
      ),
    },
  };
}
