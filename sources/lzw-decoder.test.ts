import { describe, expect, it } from 'vitest';
import { encodeLzw } from '../fixtures/bad/tile-codecs.ts';
import { decodeLzw, LzwDataError } from './lzw-decoder.ts';

/** Deterministic bytes: runs and noise, so strings of every length and a full table (a clear code) occur. */
function sample(length: number, seed = 7): Uint8Array {
  let s = seed;
  return Uint8Array.from({ length }, (_, i) => {
    s = (s * 1103515245 + 12345) >>> 0;
    return i % 300 < 120 ? (i >> 5) & 0xff : (s >>> 24) & 0x3f;
  });
}

describe('decodeLzw', () => {
  it('decodes TIFF LZW, including the code defined by its own use (KwKwK) and table resets', () => {
    for (const data of [sample(1), sample(5000), sample(100_000), new Uint8Array(20_000).fill(7)]) {
      const encoded = encodeLzw(data);
      const input = encoded.slice();
      expect(decodeLzw(encoded, data.length)).toEqual(data);
      expect(encoded).toEqual(input);
    }
  });

  it('stops at the block size, as libtiff does', () => {
    const data = sample(5000);
    expect(decodeLzw(encodeLzw(data), 1234)).toEqual(data.subarray(0, 1234));
  });

  it('regression: a code not yet in the table fails (geotiff.js decoded garbage, or ran out of memory)', () => {
    const encoded = encodeLzw(sample(8192));
    const mid = encoded.length >> 1;
    encoded.fill(0xff, mid, mid + 64);
    expect(() => decodeLzw(encoded, 8192)).toThrow(LzwDataError);
    expect(() => decodeLzw(encoded, 8192)).toThrow(
      /^code \d+ at byte \d+ is not yet in the table \(next code \d+\)$/,
    );
  });

  it('returns what a block cut short holds, for the reader to check its length', () => {
    const data = sample(5000);
    const encoded = encodeLzw(data);
    const decoded = decodeLzw(encoded.subarray(0, encoded.length >> 1), data.length);
    expect(decoded.length).toBeGreaterThan(0);
    expect(decoded.length).toBeLessThan(data.length);
    expect(decoded).toEqual(data.subarray(0, decoded.length));
  });

  it('names old-style LZW and empty data', () => {
    expect(() => decodeLzw(Uint8Array.of(0, 1, 2, 3), 100)).toThrow(/old-style \(pre-TIFF 6\.0\) LZW/);
    expect(() => decodeLzw(new Uint8Array(0), 100)).toThrow(/holds no LZW code/);
    // A clear code (256), then code 300, which nothing has defined yet.
    expect(() => decodeLzw(Uint8Array.of(0x80, 0x4b, 0x00), 100)).toThrow(/code 300 .* only a literal byte/);
  });
});
