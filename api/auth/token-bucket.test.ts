import { describe, expect, it } from 'vitest';
import { TokenBucketLimiter } from './token-bucket.ts';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('TokenBucketLimiter', () => {
  it('allows a burst of `capacity`, then refuses with the wait until the next token', () => {
    const c = clock();
    const limiter = new TokenBucketLimiter({ capacity: 3, refillPerSec: 0.5, now: c.now });
    expect([1, 2, 3].map(() => limiter.take('k').ok)).toEqual([true, true, true]);
    expect(limiter.take('k')).toEqual({ ok: false, retryAfterS: 2 });
    c.advance(1000);
    expect(limiter.take('k')).toEqual({ ok: false, retryAfterS: 1 });
    c.advance(1000);
    expect(limiter.take('k')).toEqual({ ok: true, remaining: 0 });
    expect(limiter.take('k').ok).toBe(false);
  });

  it('keeps one bucket per key', () => {
    const c = clock();
    const limiter = new TokenBucketLimiter({ capacity: 1, refillPerSec: 1, now: c.now });
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a').ok).toBe(false);
    expect(limiter.take('b').ok).toBe(true);
  });

  it('refills up to the capacity, never beyond', () => {
    const c = clock();
    const limiter = new TokenBucketLimiter({ capacity: 2, refillPerSec: 10, now: c.now });
    limiter.take('k');
    c.advance(60_000);
    expect(limiter.take('k')).toEqual({ ok: true, remaining: 1 });
    expect(limiter.take('k')).toEqual({ ok: true, remaining: 0 });
    expect(limiter.take('k').ok).toBe(false);
  });

  it('forgets the least recently used keys past maxKeys (a forgotten key starts full)', () => {
    const c = clock();
    const limiter = new TokenBucketLimiter({ capacity: 1, refillPerSec: 0.001, maxKeys: 2, now: c.now });
    limiter.take('a');
    limiter.take('b');
    limiter.take('c');
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('c').ok).toBe(false);
  });

  it.each([
    [{ capacity: 0, refillPerSec: 1 }],
    [{ capacity: 1.5, refillPerSec: 1 }],
    [{ capacity: Number.NaN, refillPerSec: 1 }],
    [{ capacity: 1, refillPerSec: 0 }],
    [{ capacity: 1, refillPerSec: -1 }],
    [{ capacity: 1, refillPerSec: Number.POSITIVE_INFINITY }],
  ])('rejects bad options %o', (options) => {
    expect(() => new TokenBucketLimiter(options)).toThrow(/rate limit/);
  });
});
