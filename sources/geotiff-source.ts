import { basename } from 'node:path';
import { TidemarkError } from '../common/errors.ts';
import { type ScratchArena, scratchFloat32 } from '../common/scratch-arena.ts';
import { type AssetRadiometry, withAssetRadiometry } from './asset-radiometry.ts';
import { copyU16, copyU16Predicted, undoHorizontalDifferencing } from './block-samples.ts';
import {
  type ByteReader,
  fetchErrorText,
  isHttpUrl,
  knownByteReader,
  localPath,
  openByteReader,
} from './byte-reader.ts';
import type { BlockDecoder } from './native-deflate.ts';
import { parseDateFlag } from './scene-date.ts';
import {
  type BandKey,
  cloudMasked,
  DEFAULT_MAX_PIXELS,
  type PixelWindow,
  SCL_CLOUDY,
  type SceneInfo,
  type SceneSource,
} from './scene-source.ts';
import { checkTiffHeader } from './tiff-header.ts';
import { bytesOf, compressionName, decodeErrorText, type SampleArray, sampleView } from './tiff-layout.ts';
import { findMask, type MaskSpec, readMask } from './tiff-mask.ts';
import {
  type BlockLayout,
  blockLayout,
  type DecoderSpec,
  decoderOf,
  decoderSpecOf,
  describe,
} from './tiff-structure.ts';

export interface OpenGeoTiffOptions {
  /** Explicit band numbers (1-based), e.g. from `--bands`; they win over band descriptions. */
  bands?: Partial<Record<BandKey, number>>;
  /** Acquisition date (YYYY-MM-DD or ISO date-time), e.g. from `--date`; wins over metadata. */
  date?: string;
  /** Largest width × height accepted, checked from the header before anything is allocated. */
  maxPixels?: number;
  /** Per band, scale/offset/nodata from a STAC asset: used where the file has none (asset-radiometry.ts). */
  radiometry?: readonly (AssetRadiometry | undefined)[];
}

/**
 * Opens a GeoTIFF as a SceneSource. Everything that can be checked from the header is checked here,
 * before any pixel is decoded: TIFF signature, truncation, size limit, compression, sample type,
 * georeferencing, CRS and band mapping. Pixels are then read block by block (tiles or strips) with our
 * own typed-array loops; geotiff.js parses the directories and provides the decoders (but for DEFLATE's,
 * native-deflate.ts).
 */
export async function openGeoTiffSource(
  location: string,
  options: OpenGeoTiffOptions = {},
): Promise<GeoTiffSceneSource> {
  const path = isHttpUrl(location) ? location : localPath(location);
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
): Promise<GeoTiffSceneSource> {
  const header = await checkTiffHeader(reader, fileName);
  const tiff = await wrapParse(fileName, () => reader.openTiff());
  try {
    const image = await wrapParse(fileName, () => tiff.getImage(0));
    const described = withAssetRadiometry(
      await describe(fileName, image, maxPixels, options, date),
      options.radiometry,
    );
    const layout = await wrapParse(fileName, () => blockLayout(reader, header, image, described.info));
    const decoderSpec = await wrapParse(fileName, () => decoderSpecOf(image, layout));
    const decoder = await wrapParse(fileName, () => decoderOf(decoderSpec));
    const mask = await wrapParse(fileName, () => findMask(path, tiff, image));
    return new GeoTiffSource(
      reader,
      described.info,
      layout,
      decoderSpec,
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

/** geotiff.js reports a directory cut short by end of file as a RangeError; anything else is corruption. */
async function wrapParse<T>(fileName: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof TidemarkError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    // geotiff.js fetches a remote COG's directories itself; a failed request is not a corrupt file.
    if (err instanceof TypeError && message === 'fetch failed') {
      throw new TidemarkError('INVALID_INPUT', `cannot fetch ${fileName}: ${fetchErrorText(err)}`, {
        cause: err,
      });
    }
    if (err instanceof RangeError || /bounds|beyond|outside|offset/i.test(message)) {
      throw new TidemarkError(
        'TRUNCATED_FILE',
        `${fileName} is truncated: its TIFF directory points past the end of the file (${message})`,
      );
    }
    throw new TidemarkError('CORRUPT_DATA', `${fileName} has a corrupt TIFF directory: ${message}`);
  }
}

/** A GeoTIFF's SceneSource, whose snapshot is a GeoTiffSnapshot. */
export interface GeoTiffSceneSource extends SceneSource {
  snapshot(): GeoTiffSnapshot;
}

/**
 * A GeoTIFF source as plain data: what another thread needs to read its pixels without parsing the file's
 * directories again (source-snapshot.ts). The block offsets and byte counts live in SharedArrayBuffers, so
 * sending the snapshot with every task copies no more than a few numbers.
 */
export interface GeoTiffSnapshot {
  kind: 'geotiff';
  location: string;
  size: number;
  info: SceneInfo;
  layout: BlockLayout;
  decoder: DecoderSpec;
  nodata: number | null;
  scales: number[];
  offsets: number[];
  mask: MaskSpec;
}

/** The source a snapshot describes, as it was when the snapshot was taken: nothing is read until a window is. */
export async function restoreGeoTiffSource(snapshot: GeoTiffSnapshot): Promise<GeoTiffSceneSource> {
  const { location, size, info, layout, decoder, nodata, scales, offsets, mask } = snapshot;
  return new GeoTiffSource(
    knownByteReader(location, size),
    info,
    layout,
    decoder,
    await wrapParse(info.fileName, () => decoderOf(decoder)),
    nodata,
    scales,
    offsets,
    mask,
  );
}

class GeoTiffSource implements GeoTiffSceneSource {
  #snapshot: GeoTiffSnapshot | undefined;

  constructor(
    private readonly reader: ByteReader,
    readonly info: SceneInfo,
    private readonly layout: BlockLayout,
    private readonly decoderSpec: DecoderSpec,
    private readonly decoder: BlockDecoder,
    private readonly nodata: number | null,
    private readonly scales: number[],
    private readonly offsets: number[],
    private readonly mask: MaskSpec,
  ) {}

  snapshot(): GeoTiffSnapshot {
    this.#snapshot ??= {
      kind: 'geotiff',
      location: this.reader.location,
      size: this.reader.size,
      info: this.info,
      layout: {
        ...this.layout,
        offsets: shared(this.layout.offsets),
        byteCounts: shared(this.layout.byteCounts),
      },
      decoder: this.decoderSpec,
      nodata: this.nodata,
      scales: this.scales,
      offsets: this.offsets,
      mask: this.mask,
    };
    return this.#snapshot;
  }

  async readWindow<B extends BandKey>(
    window: PixelWindow,
    bands: readonly B[],
    signal?: AbortSignal,
    arena?: ScratchArena,
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
    // So do non-zero values of a cloud-mask band.
    const mask = this.info.bandMap.mask;
    const maskBand = mask !== undefined && !bands.includes('mask' as B);
    if (maskBand) samples.push(mask - 1);
    const alpha = this.mask?.kind === 'alpha' ? this.mask.sample : -1;
    if (alpha >= 0) samples.push(alpha);
    // Every pixel of each array is written by readBlocks: arena arrays need no clearing.
    const out = samples.map((_, i) => scratchFloat32(arena, `read:${i}`, width * height));
    await this.readBlocks(window, samples, out, signal);
    const valid =
      alpha >= 0 ? out.pop()! : this.mask?.kind === 'image' ? await readMask(this.mask, window) : null;
    if (valid) {
      for (let i = 0; i < valid.length; i++) {
        if (valid[i] === 0) for (const band of out) band[i] = Number.NaN;
      }
    }
    if (maskBand) {
      const values = out.pop()!;
      for (let i = 0; i < values.length; i++) {
        if (cloudMasked(values[i]!, this.nodata)) for (const band of out) band[i] = Number.NaN;
      }
    }
    if (masking) {
      const classes = out.pop()!;
      for (let i = 0; i < classes.length; i++) {
        if (SCL_CLOUDY[classes[i]! & 0xff] === 1) for (const band of out) band[i] = Number.NaN;
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
        `${what} is corrupt and cannot be decoded as ${compressionName(this.decoderSpec.compression)}: ${decodeErrorText(err)}`,
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

/** A copy of `values` in a SharedArrayBuffer: sent to another thread, it is shared instead of copied. */
function shared(values: Float64Array): Float64Array {
  const copy = new Float64Array(new SharedArrayBuffer(values.byteLength));
  copy.set(values);
  return copy;
}
