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
