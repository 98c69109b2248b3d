import { beforeAll, describe, expect, it } from 'vitest';
import { encodeZstdRaw, ZSTD_FIRST_BLOCK_HEADER } from '../fixtures/bad/tile-codecs.ts';
import { decodeZstd, initZstd } from './zstd-decoder.ts';

beforeAll(() => initZstd());

const data = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7919) >>> 5);

describe('decodeZstd', () => {
  it('decodes frames without a content size (as libtiff writes them), over several blocks', () => {
    const frame = encodeZstdRaw(data);
    const input = frame.slice();
    expect(Buffer.from(decodeZstd(frame, data.length)).equals(data)).toBe(true);
    expect(Buffer.from(frame).equals(input)).toBe(true);
  });

  it('fails at once on corrupt data (the streaming decoder geotiff.js uses loops for ever on it)', () => {
    const frame = encodeZstdRaw(data);
    // Block type 3 is reserved (RFC 8878): ZSTD_decompressStream returns an error and consumes nothing.
    frame[ZSTD_FIRST_BLOCK_HEADER]! |= 0b110;
    expect(() => decodeZstd(frame, data.length)).toThrow(/^zstd reports the data corrupt/);
  });

  it('fails rather than decode past the block size', () => {
    expect(() => decodeZstd(encodeZstdRaw(data), data.length - 1)).toThrow(
      `zstd reports the data corrupt, or decoding to more than the ${data.length - 1} bytes a block holds`,
    );
  });
});
