import { createRequire } from 'node:module';
import type { BaseDecoder } from 'geotiff';

/** TIFF compression 34925: libtiff's LZMA codec writes each block as an .xz stream. */
export const TIFF_LZMA = 34925;

type Decompress = (input: Uint8Array) => Buffer;

let lzma2: Decompress | null | undefined;

/** The native LZMA2 decoder (@napi-rs/lzma), or null when its binary is unavailable on this platform. */
function loadLzma2(): Decompress | null {
  if (lzma2 !== undefined) return lzma2;
  try {
    const require = createRequire(import.meta.url);
    lzma2 = (require('@napi-rs/lzma') as { lzma2: { decompressSync: Decompress } }).lzma2.decompressSync;
  } catch {
    lzma2 = null;
  }
  return lzma2;
}

const XZ_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
const FILTER_DELTA = 0x03;
const FILTER_LZMA2 = 0x21;

/**
 * Decodes one .xz stream as libtiff writes it: a single block whose filter chain is an optional delta
 * filter followed by LZMA2. The xz decoder available here (lzma-rs) lacks the delta filter libtiff uses, so
 * the block is unwrapped by hand: raw LZMA2 through the native decoder, then the delta filter undone.
 */
export function decodeXz(input: Uint8Array, decompressLzma2: Decompress): Uint8Array {
  if (input.length < 24 || XZ_MAGIC.some((b, i) => input[i] !== b)) throw new Error('not an xz stream');
  let at = 12; // stream header: magic, flags, CRC32
  const headerSize = (input[at]! + 1) * 4;
  const flags = input[at + 1]!;
  const filterCount = (flags & 0x03) + 1;
  let p = at + 2;
  const vli = (): number => {
    let value = 0;
    for (let shift = 0; shift < 63; shift += 7) {
      const byte = input[p++];
      if (byte === undefined) throw new Error('xz block header is cut short');
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw new Error('xz number too long');
  };
  if (flags & 0x40) vli(); // compressed size
  if (flags & 0x80) vli(); // uncompressed size
  let deltaDistance = 0;
  for (let f = 0; f < filterCount; f++) {
    const id = vli();
    const size = vli();
    const props = input.subarray(p, p + size);
    p += size;
    const last = f === filterCount - 1;
    if (id === FILTER_DELTA && !last) deltaDistance = props[0]! + 1;
    else if (id !== FILTER_LZMA2 || !last) throw new Error(`xz filter ${id} is not supported`);
  }
  at += headerSize;
  const out = new Uint8Array(decompressLzma2(input.subarray(at)));
  if (deltaDistance > 0)
    for (let i = deltaDistance; i < out.length; i++) out[i] = out[i]! + out[i - deltaDistance]!;
  return out;
}

/** Whether TIFF LZMA blocks can be decoded here: the native LZMA2 decoder loads. */
export function lzmaAvailable(): boolean {
  return loadLzma2() !== null;
}

/** The LZMA decoder as a geotiff.js decoder class (geotiff-lib.ts registers it). */
export function lzmaDecoderClass(Base: typeof BaseDecoder): typeof BaseDecoder {
  return class LzmaDecoder extends Base {
    decodeBlock(buffer: ArrayBufferLike): ArrayBufferLike {
      const decompress = loadLzma2();
      if (!decompress) throw new Error('the LZMA decoder is not available on this platform');
      const out = decodeXz(new Uint8Array(buffer), decompress);
      return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength);
    }
  };
}
