/**
 * One error type for everything a user can cause. It carries an HTTP `status` and an `expose` flag the way
 * Koa's errors do, so the API's error middleware and the CLI turn it into problem+json or an exit code.
 */
export type ErrorCode =
  | 'INVALID_INPUT'
  | 'NOT_A_TIFF'
  | 'TRUNCATED_FILE'
  | 'CORRUPT_DATA'
  | 'NO_GEOREFERENCE'
  | 'UNSUPPORTED'
  | 'MISSING_BAND'
  | 'TOO_LARGE'
  | 'NO_VALID_PIXELS'
  | 'NO_SHORELINE'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'ABORTED'
  | 'INTERNAL';

const DEFAULT_STATUS: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  NOT_A_TIFF: 422,
  TRUNCATED_FILE: 422,
  CORRUPT_DATA: 422,
  NO_GEOREFERENCE: 422,
  UNSUPPORTED: 422,
  MISSING_BAND: 422,
  TOO_LARGE: 413,
  NO_VALID_PIXELS: 422,
  NO_SHORELINE: 422,
  NOT_FOUND: 404,
  CONFLICT: 409,
  ABORTED: 499,
  INTERNAL: 500,
};

export interface TidemarkErrorOptions {
  status?: number;
  /** Extra, JSON-serialisable facts for the client (never secrets, SQL or stack traces). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class TidemarkError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Whether the message is safe to show to a client. Only 5xx errors hide theirs. */
  readonly expose: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: TidemarkErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TidemarkError';
    this.code = code;
    this.status = options.status ?? DEFAULT_STATUS[code];
    this.expose = this.status < 500;
    this.details = options.details;
  }
}

export function isTidemarkError(err: unknown): err is TidemarkError {
  return err instanceof TidemarkError;
}

/** Plain-data form, for crossing a worker boundary ("errors come back as data"). */
export interface ErrorData {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export function toErrorData(err: unknown): ErrorData {
  if (err instanceof TidemarkError) {
    return err.details
      ? { code: err.code, message: err.message, details: err.details }
      : { code: err.code, message: err.message };
  }
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}

export function fromErrorData(data: ErrorData): TidemarkError {
  return new TidemarkError(data.code, data.message, data.details ? { details: data.details } : {});
}
