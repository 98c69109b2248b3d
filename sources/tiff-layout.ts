import { TidemarkError } from '../common/errors.ts';
import { lzmaAvailable, TIFF_LZMA } from './lzma-decoder.ts';

/** Compressions geotiff.js can decode (DEFLATE through Node's native zlib, see native-deflate.ts). */
export const SUPPORTED_COMPRESSIONS: Readonly<Record<number, string>> = {
  1: 'none',
  5: 'LZW',
  7: 'JPEG',
  8: 'DEFLATE',
  32946: 'DEFLATE',
  32773: 'PackBits',
  34887: 'LERC',
  50000: 'ZSTD',
};

const UNSUPPORTED_COMPRESSIONS: Readonly<Record<number, string>> = {
  2: 'CCITT modified Huffman RLE',
  3: 'CCITT Group 3 fax',
  4: 'CCITT Group 4 fax',
  6: 'old-style JPEG',
  9: 'JBIG',
  10: 'JBIG2',
  34661: 'JBIG',
  34676: 'SGILOG',
  34677: 'SGILOG24',
  34712: 'JPEG 2000',
  34925: 'LZMA',
  50001: 'WebP (needs a browser image decoder)',
  50002: 'JPEG XL',
  52546: 'JPEG XL',
};

/**
 * Why a decoder failed, as text: some throw strings rather than Errors (lerc 3.0 throws "Checksum failed."),
 * whose `message` is undefined.
 */
export function decodeErrorText(err: unknown): string {
  const text = err instanceof Error ? err.message : typeof err === 'string' ? err : String(err);
  return text.trim() === '' || text === 'undefined' ? 'the decoder gives no reason' : text.trim();
}

export function compressionName(code: number): string {
  return SUPPORTED_COMPRESSIONS[code] ?? UNSUPPORTED_COMPRESSIONS[code] ?? `unknown compression ${code}`;
}

/** Throws UNSUPPORTED naming the compression when it cannot be decoded here. */
export function checkCompression(fileName: string, code: number): void {
  if (SUPPORTED_COMPRESSIONS[code] !== undefined) return;
  if (code === TIFF_LZMA && lzmaAvailable()) return;
  throw new TidemarkError(
    'UNSUPPORTED',
    `${fileName} uses ${compressionName(code)} compression (TIFF code ${code}), which is not supported; ` +
      'supported: none, LZW, DEFLATE, PackBits, ZSTD, LERC, JPEG, LZMA ' +
      '(re-encode with e.g. gdal_translate -co COMPRESS=DEFLATE)',
    { details: { compression: code } },
  );
}

export type SampleKind = 'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32' | 'float64';

const SAMPLE_FORMAT_NAMES: Record<number, string> = {
  1: 'unsigned integer',
  2: 'signed integer',
  3: 'floating point',
  4: 'undefined',
  5: 'complex integer',
  6: 'complex floating point',
};

/** The one sample type of a raster (all bands alike), or UNSUPPORTED naming what is not supported. */
export function sampleKindOf(
  fileName: string,
  bitsPerSample: readonly number[],
  sampleFormat: readonly number[],
): SampleKind {
  const bits = bitsPerSample[0] ?? 8;
  const format = sampleFormat[0] ?? 1;
  if (bitsPerSample.some((b) => b !== bits) || sampleFormat.some((f) => f !== format)) {
    throw new TidemarkError(
      'UNSUPPORTED',
      `${fileName} mixes sample types across bands (bits ${bitsPerSample.join('/')}), which is not supported`,
    );
  }
  const kind = (
    {
      '1:8': 'uint8',
      '2:8': 'int8',
      '1:16': 'uint16',
      '2:16': 'int16',
      '1:32': 'uint32',
      '2:32': 'int32',
      '3:32': 'float32',
      '3:64': 'float64',
    } as Record<string, SampleKind>
  )[`${format}:${bits}`];
  if (!kind) {
    throw new TidemarkError(
      'UNSUPPORTED',
      `${fileName} has ${bits}-bit ${SAMPLE_FORMAT_NAMES[format] ?? `format-${format}`} samples, which are not supported ` +
        '(supported: 8/16/32-bit integers, 32/64-bit floats)',
    );
  }
  return kind;
}

export function bytesOf(kind: SampleKind): number {
  return kind === 'uint8' || kind === 'int8'
    ? 1
    : kind === 'uint16' || kind === 'int16'
      ? 2
      : kind === 'float64'
        ? 8
        : 4;
}

/** Largest decoded block (tile or strip): each block a window needs is decoded whole, one at a time. */
export const MAX_BLOCK_BYTES = 256 * 1024 * 1024;
/** Largest tile: extraction windows are whole tiles (services/extract-scene.ts), so this bounds them too. */
export const MAX_TILE_PIXELS = 4096 * 4096;
/** Blocks up to this many pixels pass whatever --max-pixels says: 1024×1024 is an ordinary COG tile. */
const SMALL_BLOCK_PIXELS = 1024 * 1024;

export interface BlockShape {
  tiled: boolean;
  /** Pixels across a block: the tile width, or the image width for strips. */
  width: number;
  /** Rows decoded per block: the tile height, or the rows per strip (at most the image height). */
  height: number;
  /** Samples per pixel within one block: all of them when pixel-interleaved, one when band-interleaved. */
  samples: number;
  kind: SampleKind;
}

/** Bytes one decoded block takes. */
export function blockBytes(block: BlockShape): number {
  return block.width * block.height * block.samples * bytesOf(block.kind);
}

/**
 * Rejects, from the header and before anything is allocated, blocks whose decoding would cost more memory
 * than the raster's size suggests: a 100×100 scene stored as one 16384×16384 tile decodes 1.6 GB per tile.
 * --max-pixels bounds the pixels of a block as it bounds those of the raster.
 */
export function checkBlockSize(fileName: string, block: BlockShape, maxPixels: number): void {
  const { width, height } = block;
  if (!(width > 0 && height > 0)) return; // blockLayout names an invalid block size
  const pixels = width * height;
  const what = block.tiled ? 'tiles' : 'strips';
  const size = `${width}×${height}-pixel ${what}`;
  const advice = block.tiled
    ? 'retile it with smaller tiles, e.g. gdal_translate -co TILED=YES -co BLOCKXSIZE=512 -co BLOCKYSIZE=512 in.tif out.tif'
    : 'rewrite it tiled, e.g. gdal_translate -co TILED=YES in.tif out.tif';
  const details = { blockWidth: width, blockHeight: height, tiled: block.tiled };
  if (pixels > Math.max(maxPixels, SMALL_BLOCK_PIXELS)) {
    throw new TidemarkError(
      'TOO_LARGE',
      `${fileName} has ${size}: decoding one means ${pixels.toExponential(2)} pixels, over the limit of ` +
        `${maxPixels.toExponential(2)} (--max-pixels); ${advice}`,
      { details: { ...details, maxPixels } },
    );
  }
  if (block.tiled && pixels > MAX_TILE_PIXELS) {
    const side = Math.sqrt(MAX_TILE_PIXELS);
    throw new TidemarkError(
      'TOO_LARGE',
      `${fileName} has ${size}, larger than the ${side}×${side} pixels a tile may have; ${advice}`,
      { details },
    );
  }
  const bytes = blockBytes(block);
  if (bytes > MAX_BLOCK_BYTES) {
    throw new TidemarkError(
      'TOO_LARGE',
      `${fileName} has ${size}: one decodes to ${mebibytes(bytes)} MiB, over the ${mebibytes(MAX_BLOCK_BYTES)} MiB ` +
        `a block may take; ${advice}`,
      { details: { ...details, blockBytes: bytes } },
    );
  }
}

/** The decoder parameters (geotiff.js's, and ours: tiff-structure.ts decoderSpecOf) that size a block. */
export interface BlockParameters {
  tileWidth: number;
  /** Rows of a tile or strip; geotiff.js passes RowsPerStrip as read, which may exceed the image. */
  tileHeight: number;
  planarConfiguration?: number;
  bitsPerSample: number | ArrayLike<number>;
  samplesPerPixel?: number;
}

/**
 * The most bytes one block decodes to, and what a decoder may allocate for it: a decoder stops (or fails)
 * there instead of following a corrupt or hostile stream further. Never more than MAX_BLOCK_BYTES.
 */
export function decodedBlockBytes(p: BlockParameters): number {
  const bits = numbers(p.bitsPerSample);
  const samples = p.planarConfiguration === 2 ? 1 : Math.max(bits.length, p.samplesPerPixel ?? 1);
  let bitsPerPixel = 0;
  for (let i = 0; i < samples; i++) bitsPerPixel += bits[i] ?? bits[0] ?? 8;
  const bytes = Math.ceil((Number(p.tileWidth) * bitsPerPixel) / 8) * Number(p.tileHeight);
  return Number.isFinite(bytes) && bytes > 0 ? Math.min(bytes, MAX_BLOCK_BYTES) : MAX_BLOCK_BYTES;
}

function mebibytes(bytes: number): string {
  return String(Math.round(bytes / 2 ** 20));
}

export type SampleArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array;

/** A typed view of decoded block bytes (byte-swapped in place first when the file is big-endian). */
export function sampleView(kind: SampleKind, buffer: ArrayBufferLike, littleEndian: boolean): SampleArray {
  const size = bytesOf(kind);
  const usable = buffer.byteLength - (buffer.byteLength % size);
  if (!littleEndian && size > 1) swapBytes(new Uint8Array(buffer, 0, usable), size);
  const n = usable / size;
  switch (kind) {
    case 'uint8':
      return new Uint8Array(buffer, 0, n);
    case 'int8':
      return new Int8Array(buffer, 0, n);
    case 'uint16':
      return new Uint16Array(buffer, 0, n);
    case 'int16':
      return new Int16Array(buffer, 0, n);
    case 'uint32':
      return new Uint32Array(buffer, 0, n);
    case 'int32':
      return new Int32Array(buffer, 0, n);
    case 'float32':
      return new Float32Array(buffer, 0, n);
    case 'float64':
      return new Float64Array(buffer, 0, n);
  }
}

function swapBytes(bytes: Uint8Array, size: number): void {
  for (let i = 0; i + size <= bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
}

/** Parses the GDAL_NODATA tag text; null when absent or not a number ("nan" gives NaN). */
export function parseNodata(text: string | null | undefined, kind: SampleKind): number | null {
  if (text === null || text === undefined) return null;
  const trimmed = text.replace(/\0/g, '').trim();
  if (trimmed === '') return null;
  if (/^[+-]?nan$/i.test(trimmed)) return Number.NaN;
  const value = Number(trimmed);
  if (Number.isNaN(value)) return null;
  // Float32 rasters store the value rounded to float32; compare against the stored form.
  return kind === 'float32' ? Math.fround(value) : value;
}

/** A TIFF field value (number, bigint or array of them) as numbers. */
export function numbers(value: unknown): number[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'number') return [value];
  if (typeof value === 'bigint') return [Number(value)];
  return Array.from(value as ArrayLike<number | bigint>, Number);
}
