import { ZSTDDecoder } from 'zstddec';

/** TIFF compression 50000. */
export const TIFF_ZSTD = 50000;

const zstd = new ZSTDDecoder();

/** Loads the WebAssembly ZSTD decoder (once); before any block is decoded. */
export function initZstd(): Promise<void> {
  return zstd.init();
}

/**
 * Decodes one ZSTD block into at most `capacity` bytes, in one call of ZSTD_decompress.
 *
 * geotiff.js 3.0.5 decodes ZSTD with zstddec's streaming decoder whenever a frame does not state its size,
 * as libtiff's never do. That loop (zstddec 0.2.0, decodeStreaming) calls ZSTD_decompressStream while input
 * is left and ignores its error codes: on corrupt data zstd consumes nothing and returns an error, so the
 * loop spins for ever, at 100 % CPU. ZSTD_decompress with the block's size as the capacity needs no size in
 * the frame, and reports corruption (and output beyond the block) as an error. zstddec then hands back an
 * empty array: a block always decodes to at least one byte, so that is the error.
 */
export function decodeZstd(input: Uint8Array, capacity: number): Uint8Array {
  const out = zstd.decode(input, capacity);
  if (out.byteLength === 0) {
    throw new Error(
      `zstd reports the data corrupt, or decoding to more than the ${capacity} bytes a block holds`,
    );
  }
  return out;
}
