import { inflateSync } from 'node:zlib';
import { addDecoder, BaseDecoder } from 'geotiff';

/**
 * DEFLATE tiles inflated by Node's native zlib instead of geotiff.js's pako: about 4× faster on this
 * machine (shared/NOTES.md), and decoding is most of an extraction's time. The predictor is still applied
 * by geotiff.js's BaseDecoder.
 */
class NativeDeflateDecoder extends BaseDecoder {
  /**
   * zlib's output chunk: the size of the last block decoded. With the default 16 kB, a tile inflated into
   * eight or more chunks that were then concatenated (copied again); blocks of one file decode to the same
   * size, so from the second block on each inflates into one buffer of exactly its size.
   */
  #chunkSize = 64 * 1024;

  decodeBlock(buffer: ArrayBufferLike): ArrayBufferLike {
    const out = inflateSync(new Uint8Array(buffer), { chunkSize: this.#chunkSize });
    if (out.byteLength > 0) this.#chunkSize = Math.max(64, out.byteLength);
    // Small results may share Node's buffer pool: hand back an ArrayBuffer that is exactly the data.
    return out.byteOffset === 0 && out.byteLength === out.buffer.byteLength
      ? out.buffer
      : out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength);
  }
}

let registered = false;

/** Registers the native decoder for TIFF compressions 8 and 32946 (both DEFLATE). Idempotent. */
export function useNativeDeflate(): void {
  if (registered) return;
  addDecoder([8, 32946], async () => NativeDeflateDecoder as unknown as typeof BaseDecoder);
  registered = true;
}
