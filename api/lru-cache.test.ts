import { describe, expect, it } from 'vitest';
import { LruCache } from './lru-cache.ts';

const sized = (maxBytes: number) => new LruCache<string>({ maxBytes, sizeOf: (v) => v.length });

describe('LruCache', () => {
  it('evicts the least recently used entry when over budget', () => {
    const cache = sized(6);
    cache.set('a', 'aa');
    cache.set('b', 'bb');
    cache.set('c', 'cc');
    expect(cache.get('a')).toBe('aa'); // a is now the most recent
    cache.set('d', 'dd');
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c'), cache.get('d')]).toEqual(['aa', 'cc', 'dd']);
    expect(cache.bytes).toBe(6);
  });

  it('replaces an entry and accounts for its new size', () => {
    const cache = sized(10);
    cache.set('a', 'aaaa');
    cache.set('a', 'a');
    expect(cache.bytes).toBe(1);
    expect(cache.size).toBe(1);
  });

  it('does not keep an entry larger than the whole budget, nor evict for it', () => {
    const cache = sized(3);
    cache.set('a', 'aa');
    cache.set('big', 'bbbb');
    expect(cache.get('big')).toBeUndefined();
    expect(cache.get('a')).toBe('aa');
  });

  it('deletes and clears', () => {
    const cache = sized(10);
    cache.set('a', 'a');
    cache.set('b', 'b');
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
  });

  it.each([-1, Number.NaN])('rejects maxBytes %s', (maxBytes) => {
    expect(() => sized(maxBytes)).toThrow(RangeError);
  });
});
