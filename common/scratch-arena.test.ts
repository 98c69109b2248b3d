import { describe, expect, it } from 'vitest';
import { ScratchArena, scratchFloat32 } from './scratch-arena.ts';

describe('ScratchArena', () => {
  it('hands out the same memory for a slot, and separate memory for separate slots', () => {
    const arena = new ScratchArena();
    const a = arena.float32('a', 100);
    a[7] = 3.5;
    const again = arena.float32('a', 80);
    expect(again.buffer).toBe(a.buffer);
    expect(again[7]).toBe(3.5);
    const b = arena.float32('b', 100);
    expect(b.buffer).not.toBe(a.buffer);
  });

  it('grows a slot that is asked for more than it holds', () => {
    const arena = new ScratchArena();
    const small = arena.int32('labels', 10);
    const big = arena.int32('labels', 10_000);
    expect(big).toHaveLength(10_000);
    expect(big.buffer).not.toBe(small.buffer);
    expect(arena.bytes).toBeGreaterThanOrEqual(40_000);
  });

  it('replaces a buffer that was moved to another thread (detached)', () => {
    const arena = new ScratchArena();
    const moved = arena.float64('x', 16);
    structuredClone(moved.buffer, { transfer: [moved.buffer] });
    expect(moved.buffer.byteLength).toBe(0);
    const fresh = arena.float64('x', 16);
    expect(fresh).toHaveLength(16);
    fresh[15] = 1;
    expect(fresh[15]).toBe(1);
  });

  it('without an arena, gives a new zeroed array every time', () => {
    const a = scratchFloat32(undefined, 's', 4);
    const b = scratchFloat32(undefined, 's', 4);
    expect(a).not.toBe(b);
    expect([...a]).toEqual([0, 0, 0, 0]);
  });
});
