import { inflateSync } from 'node:zlib';
import type { BaseDecoder } from 'geotiff';
import { type BlockParameters, decodedBlockBytes } from './tiff-layout.ts';

/** TIFF compressions 8 and 32946: both DEFLATE. */
export const DEFLATE_CODES: readonly number[] = [8, 32946];

/** What the block reader needs of a decoder: geotiff.js's decoders have this shape too. */
export interface BlockDecoder {
  decode(buffer: ArrayBufferLike): Promise<ArrayBufferLike> | ArrayBufferLike;
}

/** A synchronous codec that decodes one block into at most `capacity` bytes, or throws. */
export type BoundedDecode = (input: Uint8Array, capacity: number) => Uint8Array;

/** The block reader's decoder for a codec, when no predictor is left to apply (as NativeDeflateDecoder). */
export function boundedBlockDecoder(decode: BoundedDecode, capacity: number): BlockDecoder {
  return { decode: (buffer) => exactArrayBuffer(decode(new Uint8Array(buffer), capacity)) };
}

/**
 * The same codec as a geotiff.js decoder class (geotiff-lib.ts), for the floating-point predictor and masks:
 * each block bounded by the size its parameters give it.
 */
export function boundedDecoderClass(Base: typeof BaseDecoder, decode: BoundedDecode): typeof BaseDecoder {
  return class BoundedDecoder extends Base {
    decodeBlock(buffer: ArrayBufferLike): ArrayBufferLike {
      const capacity = decodedBlockBytes(this.parameters as unknown as BlockParameters);
      return exactArrayBuffer(decode(new Uint8Array(buffer), capacity));
    }
  };
}

/**
 * DEFLATE blocks inflated by Node's native zlib instead of geotiff.js's pako: about 4× faster on this
 * machine (shared/NOTES.md), and decoding is most of an extraction's time.
 */
class NativeInflater {
  /**
   * zlib's output chunk: the size of the last block decoded. With the default 16 kB, a tile inflated into
   * eight or more chunks that were then concatenated (copied again); blocks of one file decode to the same
   * size, so from the second block on each inflates into one buffer of exactly its size.
   */
  #chunkSize = 64 * 1024;

  /** `capacity`: the most bytes a block decodes to; a stream inflating past it fails there. */
  constructor(private readonly capacity: number) {}

  inflate(buffer: ArrayBufferLike): ArrayBufferLike {
    let out: Buffer;
    try {
      out = inflateSync(new Uint8Array(buffer), {
        chunkSize: Math.max(64, Math.min(this.#chunkSize, this.capacity)),
        maxOutputLength: this.capacity,
      });
    } catch (err) {
      // A corrupt or hostile stream could otherwise inflate ~1000-fold (a DEFLATE bomb).
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
        throw new Error(`it inflates to more than the ${this.capacity} bytes a block holds`);
      throw err;
    }
    if (out.byteLength > 0) this.#chunkSize = Math.max(64, out.byteLength);
    // Small results may share Node's buffer pool: hand back an ArrayBuffer that is exactly the data.
    return exactArrayBuffer(out);
  }
}

/** An ArrayBuffer holding exactly these bytes: the view's own buffer when it is all of it, else a copy. */
export function exactArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
}

/**
 * The block reader's DEFLATE decoder when no predictor is left to apply after inflating (horizontal
 * differencing is undone in the copy loops, geotiff-source.ts): it needs nothing of geotiff.js, so an
 * extraction worker reading a DEFLATE scene never loads it (geotiff-lib.ts).
 */
export class NativeDeflateDecoder implements BlockDecoder {
  readonly #inflater: NativeInflater;

  /** `capacity`: the most bytes a block decodes to (tiff-layout.ts decodedBlockBytes). */
  constructor(capacity: number) {
    this.#inflater = new NativeInflater(capacity);
  }

  decode(buffer: ArrayBufferLike): ArrayBufferLike {
    return this.#inflater.inflate(buffer);
  }
}

/**
 * The same inflater as a geotiff.js decoder class, registered with geotiff.js (geotiff-lib.ts) for what it
 * decodes itself: the floating-point predictor, and mask images. Its BaseDecoder applies any predictor.
 */
export function nativeDeflateDecoderClass(Base: typeof BaseDecoder): typeof BaseDecoder {
  return class NativeDeflateBlockDecoder extends Base {
    readonly #inflater = new NativeInflater(decodedBlockBytes(this.parameters as unknown as BlockParameters));

    decodeBlock(buffer: ArrayBufferLike): ArrayBufferLike {
      return this.#inflater.inflate(buffer);
    }
  };
}
