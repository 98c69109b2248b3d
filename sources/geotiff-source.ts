import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { type BaseDecoder, fromFile, fromUrl, type GeoTIFFImage, getDecoder } from 'geotiff';
import { TidemarkError } from '../common/errors.ts';
import { resolveBandMap } from './band-mapping.ts';
import { type ByteReader, isHttpUrl, openByteReader } from './byte-reader.ts';
import { parseGdalMetadata } from './gdal-metadata.ts';
import { useNativeDeflate } from './native-deflate.ts';
import { crsFromGeoKeys, geoTransformFromTags } from './scene-crs.ts';
import { parseDateFlag, sceneDateFromMetadata } from './scene-date.ts';
import {
  type BandKey,
  type GeoTransform,
  type PixelWindow,
  SCL_CLOUD_CLASSES,
  type SceneInfo,
  type SceneSource,
} from './scene-source.ts';
import { checkTiffHeader, readFirstIfdIntegerArrays, type TiffHeader } from './tiff-header.ts';
import {
  bytesOf,
  checkCompression,
  parseNodata,
  type SampleArray,
  type SampleKind,
  sampleKindOf,
  sampleView,
} from './tiff-layout.ts';

export const DEFAULT_MAX_PIXELS = 2e9;

/** SCL class (0–255) → 1 when it is a cloud class; NaN classes (nodata) map to 0 through `& 0xff`. */
const CLOUDY = new Uint8Array(256);
for (const c of SCL_CLOUD_CLASSES) CLOUDY[c] = 1;

const TAG_STRIP_OFFSETS = 273;
const TAG_STRIP_BYTE_COUNTS = 279;
const TAG_TILE_OFFSETS = 324;
const TAG_TILE_BYTE_COUNTS = 325;

export interface OpenGeoTiffOptions {
  /** Explicit band numbers (1-based), e.g. from `--bands`; they win over band descriptions. */
  bands?: Partial<Record<BandKey, number>>;
  /** Acquisition date (YYYY-MM-DD or ISO date-time), e.g. from `--date`; wins over metadata. */
  date?: string;
  /** Largest width × height accepted, checked from the header before anything is allocated. */
  maxPixels?: number;
}

interface BlockLayout {
  tiled: boolean;
  blockWidth: number;
  blockHeight: number;
  blocksAcross: number;
  blocksDown: number;
  planar: 1 | 2;
  samplesPerPixel: number;
  kind: SampleKind;
  littleEndian: boolean;
  offsets: Float64Array;
  byteCounts: Float64Array;
  predictor: number;
}

/**
 * Opens a GeoTIFF as a SceneSource. Everything that can be checked from the header is checked here,
 * before any pixel is decoded: TIFF signature, truncation, size limit, compression, sample type,
 * georeferencing, CRS and band mapping. Pixels are then read block by block (tiles or strips) with our
 * own typed-array loops; geotiff.js parses the directories and provides the decoders.
 */
export async function openGeoTiffSource(
  path: string,
  options: OpenGeoTiffOptions = {},
): Promise<SceneSource> {
  useNativeDeflate();
  // A URL's file name is the last segment of its path, without the query.
  const fileName = isHttpUrl(path) ? basename(new URL(path).pathname) : basename(path);
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const date = options.date === undefined ? undefined : parseDateFlag(options.date);
  const reader = await openByteReader(path);
  try {
    return await openWithReader(path, fileName, reader, maxPixels, options, date);
  } catch (err) {
    await reader.close();
    throw err;
  }
}

async function openWithReader(
  path: string,
  fileName: string,
  reader: ByteReader,
  maxPixels: number,
  options: OpenGeoTiffOptions,
  date: string | undefined,
): Promise<SceneSource> {
  const header = await checkTiffHeader(reader, fileName);
  const tiff = await wrapParse(fileName, () => reader.openTiff());
  try {
    const image = await wrapParse(fileName, () => tiff.getImage(0));
    const described = await describe(fileName, image, maxPixels, options, date);
    const layout = await wrapParse(fileName, () => blockLayout(reader, header, image, described.info));
    const decoder = await wrapParse(fileName, () => decoderFor(image, layout));
    const mask = await wrapParse(fileName, () => findMask(path, tiff, image));
    return new GeoTiffSource(
      reader,
      described.info,
      layout,
      decoder,
      described.nodata,
      described.scales,
      described.offsets,
      mask,
    );
  } finally {
    await tiff.close();
  }
}

/**
 * Where the raster's validity mask lives, GDAL-style: an alpha sample (ExtraSamples 1 or 2), an internal
 * mask directory (NewSubfileType bit 2, full size) or an external `<file>.msk`. Zero means masked.
 */
type MaskSpec = { kind: 'alpha'; sample: number } | { kind: 'image'; path: string; index: number } | null;

async function findMask(
  path: string,
  tiff: Awaited<ReturnType<typeof fromFile>>,
  image: GeoTIFFImage,
): Promise<MaskSpec> {
  const fd = image.getFileDirectory();
  const extra = numbers(await fd.loadValue('ExtraSamples'));
  const spp = image.getSamplesPerPixel();
  const alpha = extra.findIndex((v) => v === 1 || v === 2);
  if (alpha >= 0) return { kind: 'alpha', sample: spp - extra.length + alpha };
  const count = await tiff.getImageCount();
  for (let i = 1; i < count; i++) {
    const other = await tiff.getImage(i);
    const subfile = Number(other.getFileDirectory().getValue('NewSubfileType') ?? 0);
    if (
      (subfile & 4) !== 0 &&
      other.getWidth() === image.getWidth() &&
      other.getHeight() === image.getHeight()
    ) {
      return { kind: 'image', path, index: i };
    }
  }
  const external = `${path}.msk`;
  if (!isHttpUrl(path) && existsSync(external)) {
    const msk = await fromFile(external);
    try {
      const m = await msk.getImage(0);
      if (m.getWidth() === image.getWidth() && m.getHeight() === image.getHeight())
        return { kind: 'image', path: external, index: 0 };
    } finally {
      await msk.close();
    }
  }
  return null;
}

/** geotiff.js reports a directory cut short by end of file as a RangeError; anything else is corruption. */
async function wrapParse<T>(fileName: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof TidemarkError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof RangeError || /bounds|beyond|outside|offset/i.test(message)) {
      throw new TidemarkError(
        'TRUNCATED_FILE',
        `${fileName} is truncated: its TIFF directory points past the end of the file (${message})`,
      );
    }
    throw new TidemarkError('CORRUPT_DATA', `${fileName} has a corrupt TIFF directory: ${message}`);
  }
}

function numbers(value: unknown): number[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'number') return [value];
  if (typeof value === 'bigint') return [Number(value)];
  return Array.from(value as ArrayLike<number | bigint>, Number);
}

async function describe(
  fileName: string,
  image: GeoTIFFImage,
  maxPixels: number,
  options: OpenGeoTiffOptions,
  date: string | undefined,
): Promise<{ info: SceneInfo; nodata: number | null; scales: number[]; offsets: number[] }> {
  const fd = image.getFileDirectory();
  const width = image.getWidth();
  const height = image.getHeight();
  if (!(width > 0 && height > 0))
    throw new TidemarkError('CORRUPT_DATA', `${fileName} declares an empty raster (${width}×${height})`);
  if (width * height > maxPixels) {
    throw new TidemarkError(
      'TOO_LARGE',
      `${fileName} declares ${width}×${height} = ${(width * height).toExponential(2)} pixels, over the limit of ` +
        `${maxPixels.toExponential(2)} (--max-pixels)`,
      { details: { width, height, maxPixels } },
    );
  }
  const compression = Number(fd.getValue('Compression') ?? 1);
  checkCompression(fileName, compression);
  const samplesPerPixel = image.getSamplesPerPixel();
  const bits = numbers(await fd.loadValue('BitsPerSample'));
  const formats = numbers(await fd.loadValue('SampleFormat'));
  const kind = sampleKindOf(fileName, bits.length ? bits : [8], formats.length ? formats : [1]);

  const geoKeys = image.getGeoKeys() as Record<string, unknown> | null;
  const gtRaw = geoTransformFromTags(
    fileName,
    {
      tiepoint: numbers(fd.getValue('ModelTiepoint')),
      pixelScale: numbers(fd.getValue('ModelPixelScale')),
      transformation: numbers(fd.getValue('ModelTransformation')),
    },
    geoKeys?.GTRasterTypeGeoKey,
  );
  const crs = crsFromGeoKeys(fileName, geoKeys);
  const geoTransform = gtRaw.map((v) => v * crs.angularScale) as GeoTransform;

  const metadata = parseGdalMetadata((await fd.loadValue('GDAL_METADATA')) as string | undefined);
  const descriptions: string[] = [];
  const scales: number[] = [];
  const offsets: number[] = [];
  for (let s = 0; s < samplesPerPixel; s++) {
    const band = metadata.bands.get(s) ?? {};
    descriptions.push(band.description ?? band.DESCRIPTION ?? '');
    const scale = Number(band.scale ?? band.SCALE ?? 1);
    const offset = Number(band.offset ?? band.OFFSET ?? 0);
    const s0 = Number.isFinite(scale) && scale !== 0 ? scale : 1;
    // Sentinel-2 L2A (processing baseline ≥ 04.00) stores DN = reflectance·10000 − BOA_ADD_OFFSET; GDAL
    // exposes it per band name. It applies to DN before scaling.
    const boa = Number(band.BOA_ADD_OFFSET ?? metadata.dataset[`BOA_ADD_OFFSET_${descriptions[s]}`] ?? 0);
    offsets.push((Number.isFinite(offset) ? offset : 0) + (Number.isFinite(boa) ? boa : 0) * s0);
    scales.push(s0);
  }
  const nodata = parseNodata(fd.getValue('GDAL_NODATA') as string | undefined, kind);
  const quantification = Number(
    metadata.dataset.BOA_QUANTIFICATION_VALUE ?? metadata.dataset.QUANTIFICATION_VALUE ?? Number.NaN,
  );
  const scaled = [...metadata.bands.values()].filter((b) => (b.scale ?? b.SCALE) !== undefined).length;
  const reflectanceScale =
    scaled === samplesPerPixel && scaled > 0
      ? 1
      : quantification > 0 && scaled === 0
        ? 1 / quantification
        : null;
  const bandMap = resolveBandMap(descriptions, samplesPerPixel, options.bands);
  const tiffDate = (await fd.loadValue('DateTime')) as string | undefined;
  const isTiled = !fd.hasTag('StripOffsets');
  const info: SceneInfo = {
    fileName,
    width,
    height,
    epsg: crs.epsg,
    proj4: crs.proj4,
    crsUnits: crs.crsUnits,
    metresPerUnit: crs.metresPerUnit,
    geoTransform,
    date: date ?? sceneDateFromMetadata(metadata.dataset, tiffDate ?? null),
    bandMap,
    bandDescriptions: descriptions,
    nodata,
    reflectanceScale,
    blockWidth: isTiled ? image.getTileWidth() : width,
    blockHeight: isTiled ? image.getTileHeight() : Math.min(image.getTileHeight(), height),
  };
  return { info, nodata, scales, offsets };
}

async function blockLayout(
  reader: ByteReader,
  header: TiffHeader,
  image: GeoTIFFImage,
  info: SceneInfo,
): Promise<BlockLayout> {
  const fileName = info.fileName;
  const fd = image.getFileDirectory();
  const tiled = !fd.hasTag('StripOffsets');
  const planarValue = Number(fd.getValue('PlanarConfiguration') ?? 1);
  if (planarValue !== 1 && planarValue !== 2) {
    throw new TidemarkError(
      'UNSUPPORTED',
      `${fileName} has planar configuration ${planarValue}, which is not supported`,
    );
  }
  const planar = planarValue as 1 | 2;
  const samplesPerPixel = image.getSamplesPerPixel();
  const bits = numbers(await fd.loadValue('BitsPerSample'));
  const formats = numbers(await fd.loadValue('SampleFormat'));
  const kind = sampleKindOf(fileName, bits.length ? bits : [8], formats.length ? formats : [1]);
  const blockWidth = info.blockWidth;
  const blockHeight = info.blockHeight;
  if (!(blockWidth > 0 && blockHeight > 0)) {
    throw new TidemarkError(
      'CORRUPT_DATA',
      `${fileName} declares an invalid block size ${blockWidth}×${blockHeight}`,
    );
  }
  const blocksAcross = Math.ceil(info.width / blockWidth);
  const blocksDown = Math.ceil(info.height / blockHeight);
  const expected = blocksAcross * blocksDown * (planar === 2 ? samplesPerPixel : 1);
  const offsetTag = tiled ? TAG_TILE_OFFSETS : TAG_STRIP_OFFSETS;
  const countTag = tiled ? TAG_TILE_BYTE_COUNTS : TAG_STRIP_BYTE_COUNTS;
  const fileSize = reader.size;
  const arrays = await readFirstIfdIntegerArrays(reader, fileName, header, [offsetTag, countTag]);
  const offsets = arrays.get(offsetTag) ?? new Float64Array(0);
  const byteCounts = arrays.get(countTag) ?? new Float64Array(0);
  if (offsets.length < expected || byteCounts.length < expected) {
    throw new TidemarkError(
      'CORRUPT_DATA',
      `${fileName} lists ${offsets.length} ${tiled ? 'tiles' : 'strips'} but its size needs ${expected}`,
    );
  }
  for (let i = 0; i < expected; i++) {
    const end = offsets[i]! + byteCounts[i]!;
    if (byteCounts[i]! > 0 && end > fileSize) {
      throw new TidemarkError(
        'TRUNCATED_FILE',
        `${fileName} is truncated: ${tiled ? 'tile' : 'strip'} ${i} ends at byte ${end} but the file has only ${fileSize} bytes`,
        { details: { fileSize, blockEnd: end } },
      );
    }
  }
  return {
    tiled,
    blockWidth,
    blockHeight,
    blocksAcross,
    blocksDown,
    planar,
    samplesPerPixel,
    kind,
    littleEndian: header.littleEndian,
    offsets,
    byteCounts,
    predictor: Number((await fd.loadValue('Predictor')) ?? 1) || 1,
  };
}

async function decoderFor(image: GeoTIFFImage, layout: BlockLayout): Promise<BaseDecoder> {
  const fd = image.getFileDirectory();
  const compression = Number(fd.getValue('Compression') ?? 1);
  const parameters: Record<string, unknown> = {
    tileWidth: layout.blockWidth,
    tileHeight: layout.blockHeight,
    planarConfiguration: layout.planar,
    bitsPerSample: numbers(await fd.loadValue('BitsPerSample')),
    // Horizontal differencing (2) is undone in readBlock, after any byte swap, so it also works on
    // big-endian files; the byte-wise floating-point predictor (3) is left to geotiff.js.
    predictor: layout.predictor === 3 ? 3 : 1,
    samplesPerPixel: layout.samplesPerPixel,
  };
  if (compression === 34887) parameters.LercParameters = await fd.loadValue('LercParameters');
  if (compression === 7) parameters.JPEGTables = await fd.loadValue('JPEGTables');
  return getDecoder(compression, parameters as unknown as Parameters<typeof getDecoder>[1]);
}

class GeoTiffSource implements SceneSource {
  constructor(
    private readonly reader: ByteReader,
    readonly info: SceneInfo,
    private readonly layout: BlockLayout,
    private readonly decoder: BaseDecoder,
    private readonly nodata: number | null,
    private readonly scales: number[],
    private readonly offsets: number[],
    private readonly mask: MaskSpec,
  ) {}

  async readWindow<B extends BandKey>(
    window: PixelWindow,
    bands: readonly B[],
    signal?: AbortSignal,
  ): Promise<Record<B, Float32Array>> {
    const { x0, y0, x1, y1 } = window;
    if (!(x0 >= 0 && y0 >= 0 && x1 <= this.info.width && y1 <= this.info.height && x1 > x0 && y1 > y0)) {
      throw new TidemarkError(
        'INVALID_INPUT',
        `window ${JSON.stringify(window)} is outside the ${this.info.width}×${this.info.height} scene`,
      );
    }
    const samples = bands.map((b) => {
      const n = this.info.bandMap[b];
      if (n === undefined)
        throw new TidemarkError('MISSING_BAND', `band ${b} is not mapped for ${this.info.fileName}`);
      return n - 1;
    });
    const width = x1 - x0;
    const height = y1 - y0;
    // Cloud classes of the SCL band mask every other band read alongside it.
    const scl = this.info.bandMap.scl;
    const masking = scl !== undefined && !bands.includes('scl' as B);
    if (masking) samples.push(scl - 1);
    const alpha = this.mask?.kind === 'alpha' ? this.mask.sample : -1;
    if (alpha >= 0) samples.push(alpha);
    const out = samples.map(() => new Float32Array(width * height));
    await this.readBlocks(window, samples, out, signal);
    const valid =
      alpha >= 0 ? out.pop()! : this.mask?.kind === 'image' ? await readMask(this.mask, window) : null;
    if (valid) {
      for (let i = 0; i < valid.length; i++) {
        if (valid[i] === 0) for (const band of out) band[i] = Number.NaN;
      }
    }
    if (masking) {
      const classes = out.pop()!;
      for (let i = 0; i < classes.length; i++) {
        if (CLOUDY[classes[i]! & 0xff] === 1) for (const band of out) band[i] = Number.NaN;
      }
    }
    const result = {} as Record<B, Float32Array>;
    bands.forEach((b, i) => {
      result[b] = out[i]!;
    });
    return result;
  }

  private async readBlocks(
    window: PixelWindow,
    samples: number[],
    out: Float32Array[],
    signal?: AbortSignal,
  ): Promise<void> {
    const { x0, y0, x1, y1 } = window;
    const { blockWidth: bw, blockHeight: bh, planar, blocksAcross, blocksDown } = this.layout;
    // Every block of the window is fetched at once (concurrent range requests for a remote COG), then
    // decoded and copied one by one.
    const jobs: { bx: number; by: number; index: number; targets: number[] }[] = [];
    for (let by = Math.floor(y0 / bh); by <= Math.floor((y1 - 1) / bh); by++) {
      for (let bx = Math.floor(x0 / bw); bx <= Math.floor((x1 - 1) / bw); bx++) {
        if (planar === 1)
          jobs.push({ bx, by, index: by * blocksAcross + bx, targets: samples.map((_, i) => i) });
        else {
          samples.forEach((s, i) => {
            jobs.push({
              bx,
              by,
              index: s * blocksAcross * blocksDown + by * blocksAcross + bx,
              targets: [i],
            });
          });
        }
      }
    }
    const raws: (Uint8Array | null)[] = await Promise.all(
      jobs.map((job) => this.fetchBlock(job.index, signal)),
    );
    for (let k = 0; k < jobs.length; k++) {
      signal?.throwIfAborted();
      const job = jobs[k]!;
      const raw = raws[k]!;
      raws[k] = null;
      const block = raw === null ? null : await this.decodeBlock(raw, job.index, job.by);
      for (const i of job.targets) {
        this.copyBlock(
          block,
          job.bx,
          job.by,
          samples[i]!,
          planar === 1 ? this.layout.samplesPerPixel : 1,
          window,
          out[i]!,
        );
      }
    }
  }

  private describeBlock(index: number): string {
    return `${this.layout.tiled ? 'tile' : 'strip'} ${index} of ${this.info.fileName}`;
  }

  /** The compressed bytes of a block, or null for a sparse block (GDAL reads it as nodata, or 0). */
  private async fetchBlock(index: number, signal?: AbortSignal): Promise<Uint8Array | null> {
    const offset = this.layout.offsets[index]!;
    const length = this.layout.byteCounts[index]!;
    if (length === 0) return null;
    const bytes = await this.reader.read(offset, length, signal);
    if (bytes.length !== length) {
      throw new TidemarkError(
        'TRUNCATED_FILE',
        `${this.describeBlock(index)} is cut short: read ${bytes.length} of ${length} bytes`,
      );
    }
    return bytes;
  }

  /** Whether predictor 2 is undone inside the copy loop rather than over the whole block first. */
  private fusedPredictor(view: SampleArray): boolean {
    return this.layout.predictor === 2 && this.layout.planar === 2 && view instanceof Uint16Array;
  }

  /** Rows of block row `by` (the last strip or tile row may be cut by the image height). */
  private rowsIn(by: number): number {
    return Math.min(this.layout.blockHeight, this.info.height - by * this.layout.blockHeight);
  }

  private async decodeBlock(bytes: Uint8Array, index: number, by: number): Promise<SampleArray> {
    const { kind, littleEndian, tiled } = this.layout;
    const raw =
      bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
        ? bytes.buffer
        : bytes.slice().buffer;
    const what = this.describeBlock(index);
    let decoded: ArrayBufferLike;
    try {
      decoded = await this.decoder.decode(raw);
    } catch (err) {
      throw new TidemarkError(
        'CORRUPT_DATA',
        `${what} is corrupt and cannot be decoded: ${(err as Error).message}`,
      );
    }
    const perRow =
      this.layout.blockWidth * (this.layout.planar === 1 ? this.layout.samplesPerPixel : 1) * bytesOf(kind);
    const rows = tiled ? this.layout.blockHeight : this.rowsIn(by);
    if (decoded.byteLength < perRow * rows) {
      throw new TidemarkError(
        'CORRUPT_DATA',
        `${what} is corrupt: it decodes to ${decoded.byteLength} bytes, ${perRow * rows} expected`,
      );
    }
    const view = sampleView(kind, decoded, littleEndian);
    // Planar uint16 with predictor 2 (the usual S2 COG layout) is undone while copying, in the same pass.
    if (this.layout.predictor === 2 && !this.fusedPredictor(view)) {
      undoHorizontalDifferencing(
        view,
        this.layout.blockWidth,
        rows,
        this.layout.planar === 1 ? this.layout.samplesPerPixel : 1,
      );
    }
    return view;
  }

  private copyBlock(
    block: SampleArray | null,
    bx: number,
    by: number,
    sample: number,
    stride: number,
    window: PixelWindow,
    out: Float32Array,
  ): void {
    const { blockWidth: bw, blockHeight: bh } = this.layout;
    const scale = this.scales[sample]!;
    const offset = this.offsets[sample]!;
    const nodata = this.nodata;
    const checkNodata = nodata !== null && !Number.isNaN(nodata);
    const width = window.x1 - window.x0;
    const gx0 = Math.max(window.x0, bx * bw);
    const gx1 = Math.min(window.x1, (bx + 1) * bw);
    const gy0 = Math.max(window.y0, by * bh);
    const gy1 = Math.min(window.y1, (by + 1) * bh);
    if (block === null) {
      const fill = nodata === null ? offset : Number.NaN;
      for (let y = gy0; y < gy1; y++)
        out.fill(fill, (y - window.y0) * width + gx0 - window.x0, (y - window.y0) * width + gx1 - window.x0);
      return;
    }
    const integer = this.layout.kind !== 'float32' && this.layout.kind !== 'float64';
    const plain = integer && !checkNodata && scale === 1 && offset === 0;
    // 8/16-bit integers convert to float32 exactly, so nodata can be searched for after conversion.
    const exact = integer && bytesOf(this.layout.kind) <= 2;
    for (let y = gy0; y < gy1; y++) {
      let src = ((y - by * bh) * bw + (gx0 - bx * bw)) * stride + (stride === 1 ? 0 : sample);
      let dst = (y - window.y0) * width + (gx0 - window.x0);
      const end = dst + (gx1 - gx0);
      // The common cases get their own tight loops: decoding dominates extraction time.
      if (block instanceof Uint16Array && this.fusedPredictor(block)) {
        const rowStart = (y - by * bh) * bw;
        copyU16Predicted(
          block,
          rowStart,
          src - rowStart,
          out,
          dst,
          end,
          checkNodata ? (nodata as number) : -1,
          scale,
          offset,
        );
      } else if (block instanceof Uint16Array) {
        // Sentinel-2/Landsat digital numbers: a monomorphic loop over every sample read.
        copyU16(block, src, stride, out, dst, end, checkNodata ? (nodata as number) : -1, scale, offset);
      } else if (exact && stride === 1) {
        // Native conversion of a whole row segment, then native searches for nodata.
        out.set(block.subarray(src, src + (end - dst)), dst);
        const segment = out.subarray(dst, end);
        if (checkNodata) {
          for (let k = segment.indexOf(nodata); k !== -1; k = segment.indexOf(nodata, k + 1))
            segment[k] = Number.NaN;
        }
        if (scale !== 1 || offset !== 0) {
          for (let k = 0; k < segment.length; k++) segment[k] = segment[k]! * scale + offset;
        }
      } else if (plain) {
        for (; dst < end; src += stride, dst++) out[dst] = block[src]!;
      } else if (integer) {
        for (; dst < end; src += stride, dst++) {
          const raw = block[src]!;
          out[dst] = checkNodata && raw === nodata ? Number.NaN : raw * scale + offset;
        }
      } else {
        for (; dst < end; src += stride, dst++) {
          const raw = block[src]!;
          out[dst] = (checkNodata && raw === nodata) || Number.isNaN(raw) ? Number.NaN : raw * scale + offset;
        }
      }
    }
  }

  async close(): Promise<void> {
    await this.reader.close();
  }
}

/** A window of a mask image (internal mask directory or external .msk) through geotiff.js: masks are small. */
async function readMask(mask: { path: string; index: number }, w: PixelWindow): Promise<ArrayLike<number>> {
  const tiff = isHttpUrl(mask.path)
    ? await fromUrl(mask.path, { allowFullFile: false })
    : await fromFile(mask.path);
  try {
    const image = await tiff.getImage(mask.index);
    const rasters = await image.readRasters({ window: [w.x0, w.y0, w.x1, w.y1], samples: [0] });
    return (rasters as unknown as ArrayLike<number>[])[0]!;
  } finally {
    await tiff.close();
  }
}

/**
 * Like copyU16 for one row of a single-sample block still holding predictor-2 differences: the running
 * sum starts at the row's first sample (`skip` samples before the window) and wraps at 16 bits.
 */
function copyU16Predicted(
  block: Uint16Array,
  rowStart: number,
  skip: number,
  out: Float32Array,
  dst: number,
  end: number,
  nodata: number,
  scale: number,
  offset: number,
): void {
  let acc = 0;
  let src = rowStart;
  for (const stop = rowStart + skip; src < stop; src++) acc = (acc + block[src]!) & 0xffff;
  if (scale === 1 && offset === 0) {
    for (; dst < end; src++, dst++) {
      acc = (acc + block[src]!) & 0xffff;
      out[dst] = acc === nodata ? Number.NaN : acc;
    }
  } else {
    for (; dst < end; src++, dst++) {
      acc = (acc + block[src]!) & 0xffff;
      out[dst] = acc === nodata ? Number.NaN : acc * scale + offset;
    }
  }
}

/** Uint16 samples → reflectance; `nodata` −1 when there is none (no uint16 value equals it). */
function copyU16(
  block: Uint16Array,
  src: number,
  stride: number,
  out: Float32Array,
  dst: number,
  end: number,
  nodata: number,
  scale: number,
  offset: number,
): void {
  if (scale === 1 && offset === 0) {
    for (; dst < end; src += stride, dst++) {
      const raw = block[src]!;
      out[dst] = raw === nodata ? Number.NaN : raw;
    }
  } else {
    for (; dst < end; src += stride, dst++) {
      const raw = block[src]!;
      out[dst] = raw === nodata ? Number.NaN : raw * scale + offset;
    }
  }
}

/** TIFF predictor 2: each sample was stored as the difference from the one `stride` samples before it. */
function undoHorizontalDifferencing(view: SampleArray, width: number, rows: number, stride: number): void {
  // One monomorphic loop per array type: this runs over every decoded sample.
  if (view instanceof Uint16Array) accumulateU16(view, width, rows, stride);
  else accumulateAny(view, width, rows, stride);
}

function accumulateU16(view: Uint16Array, width: number, rows: number, stride: number): void {
  const rowLength = width * stride;
  for (let y = 0; y < rows; y++) {
    const start = y * rowLength;
    const end = Math.min(start + rowLength, view.length);
    for (let i = start + stride; i < end; i++) view[i] = view[i]! + view[i - stride]!;
  }
}

function accumulateAny(view: SampleArray, width: number, rows: number, stride: number): void {
  const rowLength = width * stride;
  for (let y = 0; y < rows; y++) {
    const start = y * rowLength;
    const end = Math.min(start + rowLength, view.length);
    // Typed-array stores wrap modulo 2^bits, exactly as the encoder's subtraction did.
    for (let i = start + stride; i < end; i++) view[i] = view[i]! + view[i - stride]!;
  }
}
