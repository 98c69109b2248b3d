import { TidemarkError } from '../../common/errors.ts';

export interface TokenBucketOptions {
  /** Most requests allowed at once after a quiet period (the bucket size). */
  capacity: number;
  /** Tokens added back per second. */
  refillPerSec: number;
  /** Buckets kept at most; the least recently used go first (a full bucket is the same as none). */
  maxKeys?: number;
  /** Clock in milliseconds (tests pass their own). */
  now?: () => number;
}

export type TakeResult = { ok: true; remaining: number } | { ok: false; retryAfterS: number };

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/** A token bucket per key (e.g. per API key): `capacity` requests in a burst, then `refillPerSec`. */
export class TokenBucketLimiter {
  readonly capacity: number;
  readonly refillPerSec: number;
  private readonly maxKeys: number;
  private readonly now: () => number;
  private readonly buckets = new Map<string, Bucket>();

  constructor(options: TokenBucketOptions) {
    if (!Number.isInteger(options.capacity) || options.capacity < 1) {
      throw new TidemarkError(
        'INVALID_INPUT',
        `rate limit burst must be an integer ≥ 1, got ${String(options.capacity)}`,
      );
    }
    if (!Number.isFinite(options.refillPerSec) || options.refillPerSec <= 0) {
      throw new TidemarkError(
        'INVALID_INPUT',
        `rate limit refill must be a positive number per second, got ${String(options.refillPerSec)}`,
      );
    }
    this.capacity = options.capacity;
    this.refillPerSec = options.refillPerSec;
    this.maxKeys = options.maxKeys ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Takes one token for `key`; when none is left, says how many whole seconds until one is. */
  take(key: string): TakeResult {
    const nowMs = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.capacity, updatedMs: nowMs };
    const elapsedS = Math.max(0, nowMs - bucket.updatedMs) / 1000;
    bucket.tokens = Math.min(this.capacity, bucket.tokens + elapsedS * this.refillPerSec);
    bucket.updatedMs = nowMs;
    // Re-inserting keeps the map in least-recently-used order for eviction.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true, remaining: Math.floor(bucket.tokens) };
    }
    return { ok: false, retryAfterS: Math.max(1, Math.ceil((1 - bucket.tokens) / this.refillPerSec)) };
  }
}
