import { describe, expect, it } from 'vitest';
import { decodeXz } from './lzma-decoder.ts';

/** An xz stream header and a block header listing the given filters (ids with 1-byte properties). */
function xz(filters: [number, number][], payload: number[]): Uint8Array {
  const stream = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0, 0, 0, 0, 0, 0];
  const body = [filters.length - 1, ...filters.flatMap(([id, prop]) => [id, 1, prop])];
  while ((body.length + 1 + 4) % 4 !== 0) body.push(0);
  const size = body.length + 1 + 4;
  return Uint8Array.from([...stream, size / 4 - 1, ...body, 0, 0, 0, 0, ...payload]);
}

describe('decodeXz', () => {
  it('runs LZMA2 and then undoes the delta filter', () => {
    const stream = xz(
      [
        [0x03, 0],
        [0x21, 0x16],
      ],
      [9, 9, 9],
    );
    // A stand-in LZMA2 decoder that checks it gets the data after the block header.
    const fake = (input: Uint8Array) => {
      expect(Array.from(input)).toEqual([9, 9, 9]);
      return Buffer.from([1, 1, 1, 253]);
    };
    expect(Array.from(decodeXz(stream, fake))).toEqual([1, 2, 3, 0]);
  });

  it('rejects what is not an xz stream or uses other filters', () => {
    const fake = () => Buffer.alloc(0);
    expect(() => decodeXz(new Uint8Array(32), fake)).toThrow(/not an xz stream/);
    expect(() =>
      decodeXz(
        xz(
          [
            [0x04, 0],
            [0x21, 0x16],
          ],
          [0],
        ),
        fake,
      ),
    ).toThrow(/filter 4/);
  });
});
