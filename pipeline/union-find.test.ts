import { describe, expect, it } from 'vitest';
import { UnionFind } from './union-find.ts';

describe('UnionFind', () => {
  it('joins sets transitively and keeps others apart', () => {
    const uf = new UnionFind(6);
    uf.union(0, 1);
    uf.union(2, 3);
    uf.union(1, 3);
    expect(uf.find(0)).toBe(uf.find(2));
    expect(uf.find(4)).not.toBe(uf.find(0));
    expect(uf.find(5)).toBe(5);
  });

  it('grows on demand, keeping existing sets', () => {
    const uf = new UnionFind(2);
    uf.union(0, 1);
    uf.ensure(10);
    expect(uf.length).toBeGreaterThanOrEqual(10);
    expect(uf.find(1)).toBe(uf.find(0));
    expect(uf.find(9)).toBe(9);
  });
});
