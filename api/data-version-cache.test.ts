import { describe, expect, it } from 'vitest';
import { DataVersionCache } from './data-version-cache.ts';

/** A clock the test moves by hand. */
function manualClock() {
  let now = 1000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** A lookup whose answer the test releases: an explicit handshake instead of a sleep. */
function deferredLoad(version: string) {
  let calls = 0;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    load: async () => {
      calls++;
      await gate;
      return version;
    },
    release: () => release(),
    calls: () => calls,
  };
}

describe('DataVersionCache', () => {
  it('remembers a version for its TTL, then asks again', async () => {
    const clock = manualClock();
    const cache = new DataVersionCache({ ttlMs: 1000, now: clock.now });
    let calls = 0;
    const load = async () => `v${++calls}`;
    expect(cache.peek('shorelines?site=a')).toBeUndefined();
    expect(await cache.get('shorelines?site=a', load)).toBe('v1');
    clock.advance(999);
    expect(cache.peek('shorelines?site=a')).toBe('v1');
    expect(await cache.get('shorelines?site=a', load)).toBe('v1');
    clock.advance(1);
    expect(cache.peek('shorelines?site=a')).toBeUndefined();
    expect(await cache.get('shorelines?site=a', load)).toBe('v2');
    expect(calls).toBe(2);
  });

  it('shares one lookup among concurrent requests for a key', async () => {
    const cache = new DataVersionCache({ ttlMs: 1000, now: manualClock().now });
    const d = deferredLoad('7');
    const all = Promise.all([cache.get('k', d.load), cache.get('k', d.load), cache.get('k', d.load)]);
    d.release();
    expect(await all).toEqual(['7', '7', '7']);
    expect(d.calls()).toBe(1);
  });

  it('forgets everything on invalidate', async () => {
    const cache = new DataVersionCache({ ttlMs: 1000, now: manualClock().now });
    await cache.get('a', async () => '1');
    await cache.get('b', async () => '1');
    cache.invalidate();
    expect(cache.size).toBe(0);
    expect(await cache.get('a', async () => '2')).toBe('2');
  });

  it('does not keep a version read by a lookup that began before an invalidation', async () => {
    const cache = new DataVersionCache({ ttlMs: 1000, now: manualClock().now });
    const before = deferredLoad('old');
    const pending = cache.get('k', before.load);
    cache.invalidate();
    // A request after the invalidation does not join the lookup from before it.
    const after = cache.get('k', async () => 'new');
    before.release();
    expect(await pending).toBe('old');
    expect(await after).toBe('new');
    expect(cache.peek('k')).toBe('new');
  });

  it('keeps nothing while a sent commit may still be settling', async () => {
    const clock = manualClock();
    const cache = new DataVersionCache({ ttlMs: 1000, now: clock.now });
    cache.invalidate(500);
    expect(await cache.get('k', async () => 'maybe-old')).toBe('maybe-old');
    expect(cache.peek('k')).toBeUndefined();
    clock.advance(500);
    expect(await cache.get('k', async () => 'settled')).toBe('settled');
    expect(cache.peek('k')).toBe('settled');
  });

  it('with a zero TTL asks every time', async () => {
    const cache = new DataVersionCache({ ttlMs: 0, now: manualClock().now });
    let calls = 0;
    await cache.get('k', async () => String(++calls));
    await cache.get('k', async () => String(++calls));
    expect(calls).toBe(2);
  });

  it('stays bounded however many filters clients ask for', async () => {
    const cache = new DataVersionCache({ ttlMs: 1000, now: manualClock().now });
    for (let i = 0; i < 5000; i++) await cache.get(`zones?site=s${i}`, async () => '1');
    expect(cache.size).toBeLessThanOrEqual(4096);
    expect(cache.peek('zones?site=s4999')).toBe('1');
  });
});
