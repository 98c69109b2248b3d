import { TidemarkError } from '../common/errors.ts';
import type { ByteReader } from './byte-reader.ts';

const KNOWN_SIGNATURES: readonly [string, number[]][] = [
  ['a PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['a JPEG image', [0xff, 0xd8, 0xff]],
  ['a PDF document', [0x25, 0x50, 0x44, 0x46]],
  ['a gzip archive', [0x1f, 0x8b]],
  ['a zip archive', [0x50, 0x4b, 0x03, 0x04]],
  ['a JPEG 2000 image', [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50]],
  ['an HDF5/NetCDF4 file', [0x89, 0x48, 0x44, 0x46]],
];

function describeContent(bytes: Uint8Array): string {
  for (const [name, signature] of KNOWN_SIGNATURES) {
    if (signature.every((b, i) => bytes[i] === b)) return `it looks like ${name}`;
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes).trimStart();
  if (text.startsWith('{') || text.startsWith('[')) return 'it looks like JSON text';
  if (text.startsWith('<')) return 'it looks like XML/HTML text';
  return `it starts with bytes ${Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ')}`;
}

export interface TiffHeader {
  littleEndian: boolean;
  bigTiff: boolean;
  firstIfdOffset: number;
}

/**
 * Checks the TIFF signature and that the first image directory lies inside the file, so a wrong or cut
 * file fails with NOT_A_TIFF / TRUNCATED_FILE before any parser sees it.
 */
export async function checkTiffHeader(reader: ByteReader, fileName: string): Promise<TiffHeader> {
  const fileSize = reader.size;
  if (fileSize === 0) throw new TidemarkError('NOT_A_TIFF', `${fileName} is not a TIFF file: it is empty`);
  const read = await reader.read(0, 16);
  const got = read.length;
  const bytes = new Uint8Array(16);
  bytes.set(read);
  const head = bytes.subarray(0, got);
  const le = head[0] === 0x49 && head[1] === 0x49;
  const be = head[0] === 0x4d && head[1] === 0x4d;
  if (got < 4 && (le || be || got < 2)) {
    throw new TidemarkError(
      'TRUNCATED_FILE',
      `${fileName} is truncated: only ${got} bytes, not even a TIFF header`,
    );
  }
  const view = new DataView(bytes.buffer);
  const version = le || be ? view.getUint16(2, le) : -1;
  if (!(le || be) || (version !== 42 && version !== 43)) {
    throw new TidemarkError('NOT_A_TIFF', `${fileName} is not a TIFF file: ${describeContent(head)}`);
  }
  const bigTiff = version === 43;
  const headerSize = bigTiff ? 16 : 8;
  if (got < headerSize) {
    throw new TidemarkError(
      'TRUNCATED_FILE',
      `${fileName} is truncated: its ${headerSize}-byte TIFF header is cut at ${got} bytes`,
    );
  }
  const firstIfdOffset = bigTiff ? Number(view.getBigUint64(8, le)) : view.getUint32(4, le);
  if (firstIfdOffset < headerSize || firstIfdOffset + 2 > fileSize) {
    throw new TidemarkError(
      'TRUNCATED_FILE',
      `${fileName} is truncated: its first image directory is at byte ${firstIfdOffset} but the file has ${fileSize} bytes`,
      { details: { fileSize, ifdOffset: firstIfdOffset } },
    );
  }
  const header = { littleEndian: le, bigTiff, firstIfdOffset };
  await checkFirstIfdInFile(reader, fileName, header);
  return header;
}

/** Names of the tags a GeoTIFF reader looks at, for messages about them. */
const TAG_NAMES: Readonly<Record<number, string>> = {
  256: 'ImageWidth',
  257: 'ImageLength',
  258: 'BitsPerSample',
  259: 'Compression',
  262: 'PhotometricInterpretation',
  273: 'StripOffsets',
  277: 'SamplesPerPixel',
  278: 'RowsPerStrip',
  279: 'StripByteCounts',
  284: 'PlanarConfiguration',
  305: 'Software',
  306: 'DateTime',
  317: 'Predictor',
  322: 'TileWidth',
  323: 'TileLength',
  324: 'TileOffsets',
  325: 'TileByteCounts',
  338: 'ExtraSamples',
  339: 'SampleFormat',
  347: 'JPEGTables',
  530: 'YCbCrSubSampling',
  532: 'ReferenceBlackWhite',
  33550: 'ModelPixelScale',
  33922: 'ModelTiepoint',
  34264: 'ModelTransformation',
  34735: 'GeoKeyDirectory',
  34736: 'GeoDoubleParams',
  34737: 'GeoAsciiParams',
  42112: 'GDAL_METADATA',
  42113: 'GDAL_NODATA',
  50674: 'LercParameters',
};

export function tagName(tag: number): string {
  const name = TAG_NAMES[tag];
  return name === undefined ? `tag ${tag}` : `${name} (tag ${tag})`;
}

/** The first directory's entries, read once per reader (both the checks and the block table need them). */
const FIRST_IFD_TABLES = new WeakMap<ByteReader, Promise<{ entries: number; table: DataView }>>();

function firstIfdTable(
  reader: ByteReader,
  fileName: string,
  header: TiffHeader,
): Promise<{ entries: number; table: DataView }> {
  let table = FIRST_IFD_TABLES.get(reader);
  if (!table) {
    table = readFirstIfdTable(reader, fileName, header);
    FIRST_IFD_TABLES.set(reader, table);
  }
  return table;
}

async function readFirstIfdTable(
  reader: ByteReader,
  fileName: string,
  header: TiffHeader,
): Promise<{ entries: number; table: DataView }> {
  const fileSize = reader.size;
  const le = header.littleEndian;
  const countSize = header.bigTiff ? 8 : 2;
  const entrySize = header.bigTiff ? 20 : 12;
  const start = header.firstIfdOffset;
  const countBytes = await reader.read(start, countSize);
  if (countBytes.length < countSize) throw cutDirectory(fileName, start, start + countSize, fileSize);
  const countView = new DataView(countBytes.buffer, countBytes.byteOffset, countSize);
  const entries = header.bigTiff ? Number(countView.getBigUint64(0, le)) : countView.getUint16(0, le);
  const tableEnd = start + countSize + entries * entrySize;
  if (tableEnd > fileSize) throw cutDirectory(fileName, start, tableEnd, fileSize);
  const bytes = await reader.read(start + countSize, entries * entrySize);
  if (bytes.length < entries * entrySize) throw cutDirectory(fileName, start, tableEnd, fileSize);
  // A copy: the reader may hand out a view of a buffer it reuses.
  return { entries, table: new DataView(Uint8Array.from(bytes).buffer) };
}

/**
 * Checks that the first image directory and every value it points to lie inside the file. A file cut in its
 * header area otherwise reaches geotiff.js, which reads the missing values as zeros or garbage, and the
 * scene then fails with whatever that garbage looks like (an odd sample format, a degenerate geotransform,
 * no GeoKeys) instead of saying that the file is truncated.
 */
async function checkFirstIfdInFile(reader: ByteReader, fileName: string, header: TiffHeader): Promise<void> {
  const fileSize = reader.size;
  const le = header.littleEndian;
  const entrySize = header.bigTiff ? 20 : 12;
  const inline = header.bigTiff ? 8 : 4;
  const { entries, table: view } = await firstIfdTable(reader, fileName, header);
  for (let e = 0; e < entries; e++) {
    const at = e * entrySize;
    const tag = view.getUint16(at, le);
    const size = TYPE_SIZES[view.getUint16(at + 2, le)];
    // Readers ignore entries of unknown types (TIFF 6.0, section 2), so their values are not checked; nor
    // are those of tags we never read (a private tag pointing past the end harms nothing, as in libtiff).
    if (size === undefined || TAG_NAMES[tag] === undefined) continue;
    const count = header.bigTiff ? Number(view.getBigUint64(at + 4, le)) : view.getUint32(at + 4, le);
    const bytes = count * size;
    if (bytes <= inline) continue;
    const valueAt = at + 4 + (header.bigTiff ? 8 : 4);
    const offset = header.bigTiff ? Number(view.getBigUint64(valueAt, le)) : view.getUint32(valueAt, le);
    if (offset + bytes > fileSize) {
      throw new TidemarkError(
        'TRUNCATED_FILE',
        `${fileName} is truncated: the ${tagName(tag)} values of its TIFF directory lie at bytes ` +
          `${offset}–${offset + bytes} but the file has only ${fileSize} bytes`,
        { details: { fileSize, tag, valueOffset: offset, valueBytes: bytes } },
      );
    }
  }
}

function cutDirectory(fileName: string, start: number, end: number, fileSize: number): TidemarkError {
  return new TidemarkError(
    'TRUNCATED_FILE',
    `${fileName} is truncated: its first image directory takes bytes ${start}–${end} but the file has only ` +
      `${fileSize} bytes`,
    { details: { fileSize, ifdOffset: start, ifdEnd: end } },
  );
}

const TYPE_SIZES: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
  13: 4,
  16: 8,
  17: 8,
  18: 8,
};

/**
 * Reads integer array tags (e.g. TileOffsets, TileByteCounts) of the first image directory straight from
 * the file with the file's byte order. geotiff.js 3.0.5 mis-reads deferred LONG arrays of big-endian
 * files, so the block table is read here. Missing tags give empty arrays.
 */
export async function readFirstIfdIntegerArrays(
  reader: ByteReader,
  fileName: string,
  header: TiffHeader,
  tags: readonly number[],
): Promise<Map<number, Float64Array>> {
  const fileSize = reader.size;
  const read = async (offset: number, length: number): Promise<DataView> => {
    if (offset + length > fileSize) {
      throw new TidemarkError(
        'TRUNCATED_FILE',
        `${fileName} is truncated: a TIFF directory entry points past the end of the file`,
      );
    }
    const bytes = await reader.read(offset, length);
    const copy = new Uint8Array(length);
    copy.set(bytes);
    return new DataView(copy.buffer);
  };
  const le = header.littleEndian;
  const entrySize = header.bigTiff ? 20 : 12;
  const inline = header.bigTiff ? 8 : 4;
  const { entries, table } = await firstIfdTable(reader, fileName, header);
  const out = new Map<number, Float64Array>();
  for (let e = 0; e < entries; e++) {
    const at = e * entrySize;
    const tag = table.getUint16(at, le);
    if (!tags.includes(tag)) continue;
    const type = table.getUint16(at + 2, le);
    const count = header.bigTiff ? Number(table.getBigUint64(at + 4, le)) : table.getUint32(at + 4, le);
    const size = TYPE_SIZES[type];
    if (size === undefined || (type !== 3 && type !== 4 && type !== 16)) {
      throw new TidemarkError(
        'CORRUPT_DATA',
        `${fileName}: tag ${tag} has type ${type}, not an integer type`,
      );
    }
    const bytes = count * size;
    const valueAt = at + 4 + (header.bigTiff ? 8 : 4);
    const view =
      bytes <= inline
        ? new DataView(table.buffer, table.byteOffset + valueAt, inline)
        : await read(
            header.bigTiff ? Number(table.getBigUint64(valueAt, le)) : table.getUint32(valueAt, le),
            bytes,
          );
    const values = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      values[i] =
        type === 3
          ? view.getUint16(i * 2, le)
          : type === 4
            ? view.getUint32(i * 4, le)
            : Number(view.getBigUint64(i * 8, le));
    }
    out.set(tag, values);
  }
  return out;
}
