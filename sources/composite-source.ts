import { TidemarkError } from '../common/errors.ts';
import {
  type GeoTiffSceneSource,
  type GeoTiffSnapshot,
  type OpenGeoTiffOptions,
  openGeoTiffSource,
  restoreGeoTiffSource,
} from './geotiff-source.ts';
import { parseDateFlag } from './scene-date.ts';
import {
  BAND_KEYS,
  type BandKey,
  type BandOrigin,
  cloudMasked,
  type PixelWindow,
  SCL_CLOUDY,
  type SceneInfo,
  type SceneSource,
} from './scene-source.ts';

/*
 * One scene from bands held by several GeoTIFFs: one file per band (band-files-source.ts), a STAC Item's
 * assets (stac-source.ts), or a GeoTIFF with a cloud-mask file beside it (`--mask`). They are read on the
 * grid of the finest band; coarser ones must line up with it at an integer ratio and are read by nearest
 * neighbour, as GDAL's default resampling would.
 */

export interface Part {
  source: GeoTiffSceneSource;
  /** The band's key in `source`'s own band map. */
  band: BandKey;
  /** Coarser parts (e.g. 20 m SWIR beside 10 m green) are read at 1/factor and repeated. */
  factor: number;
  /** What the part is, for messages: `the swir16 asset "B11"`, `T_B11.tif`, `--mask cloud.tif`. */
  what?: string;
}

/** Largest ratio between a part's pixel size and the finest part's (Sentinel-2: 10/20/60 m). */
const MAX_RESOLUTION_RATIO = 8;

/** Bands in BAND_KEYS order, whatever order they were found in. */
function ordered(parts: Map<BandKey, Part>): Map<BandKey, Part> {
  return new Map(BAND_KEYS.filter((k) => parts.has(k)).map((k) => [k, parts.get(k)!]));
}

/**
 * The scene of `parts` (and its cloud `masks`), on the grid of the finest data band. The date: --date,
 * else `date`, else the finest source's metadata. Reflectance scale: the data bands' own when they agree.
 */
export function compositeSource(
  name: string,
  parts: Map<BandKey, Part>,
  masks: Part[],
  labels: Map<BandKey, string>,
  origin: BandOrigin,
  dateFlag: string | undefined,
  date: string | null,
): SceneSource {
  const sorted = ordered(parts);
  const data = [...sorted].filter(([k]) => k !== 'scl' && k !== 'mask').map(([, p]) => p);
  const reference = (data.length > 0 ? data : [...sorted.values()]).reduce((a, b) =>
    Math.abs(b.source.info.geoTransform[1]) < Math.abs(a.source.info.geoTransform[1]) ? b : a,
  ).source.info;
  for (const part of [...sorted.values(), ...masks]) {
    part.factor = gridFactor(name, part.what ?? part.band, reference, part.source.info);
  }
  const scales = new Set(data.map((p) => p.source.info.reflectanceScale));
  const keys = [...sorted.keys()];
  const info: SceneInfo = {
    ...reference,
    fileName: name,
    date: dateFlag !== undefined ? parseDateFlag(dateFlag) : (date ?? reference.date),
    bandMap: Object.fromEntries(keys.map((k, i) => [k, i + 1])),
    bandDescriptions: keys.map((k) => labels.get(k) ?? k),
    reflectanceScale: scales.size === 1 ? [...scales][0]! : null,
    bandOrigin: origin,
  };
  return new CompositeSource(info, sorted, masks);
}

/**
 * Opens a cloud-mask GeoTIFF (`--mask`, or a STAC asset with role "cloud"): its first band, non-zero
 * masked. Its grid is checked against the scene's when the scene is put together.
 */
export async function openCloudMask(
  location: string,
  what: string,
  options: Pick<OpenGeoTiffOptions, 'maxPixels' | 'radiometry'> = {},
): Promise<Part> {
  try {
    const source = await openGeoTiffSource(location, { ...options, bands: { mask: 1 } });
    return { source, band: 'mask', factor: 1, what };
  } catch (err) {
    // Say which input failed: the message alone would read as if the scene did.
    if (err instanceof TidemarkError) {
      throw new TidemarkError(err.code, `${what}: ${err.message}`, {
        cause: err,
        ...(err.details ? { details: err.details } : {}),
      });
    }
    throw err;
  }
}

/** Closes each source of `parts` once (several parts may share one). */
export async function closeAll(parts: readonly Part[]): Promise<void> {
  for (const source of new Set(parts.map((p) => p.source))) await source.close();
}

function gridText(info: SceneInfo): string {
  const [ox, px, , oy, , py] = info.geoTransform;
  const crs = info.epsg !== null ? `EPSG:${info.epsg}` : 'its CRS';
  return `${crs}, ${info.width}×${info.height} pixels of ${Math.abs(px)}×${Math.abs(py)} from (${ox}, ${oy})`;
}

/** How many reference pixels one pixel of `other` spans (1 for the same grid); UNSUPPORTED otherwise. */
export function gridFactor(sceneName: string, what: string, ref: SceneInfo, other: SceneInfo): number {
  const [ox, px, rx, oy, ry, py] = ref.geoTransform;
  const [qx, sx, tx, qy, ty, sy] = other.geoTransform;
  const factor = Math.round(sx / px);
  const tolerance = Math.abs(px) * 1e-6;
  const aligned =
    other.proj4 === ref.proj4 &&
    factor >= 1 &&
    factor <= MAX_RESOLUTION_RATIO &&
    Math.abs(sx - factor * px) <= tolerance &&
    Math.abs(sy - factor * py) <= tolerance &&
    rx === 0 &&
    ry === 0 &&
    tx === 0 &&
    ty === 0 &&
    Math.abs(qx - ox) <= tolerance &&
    Math.abs(qy - oy) <= tolerance &&
    other.width * factor >= ref.width &&
    other.height * factor >= ref.height;
  if (!aligned) {
    const x1 = ox + ref.width * px;
    const y1 = oy + ref.height * py;
    const warp =
      ref.epsg !== null && rx === 0 && ry === 0
        ? ` (e.g. gdalwarp -r near -t_srs EPSG:${ref.epsg} -tr ${Math.abs(px)} ${Math.abs(py)} -te ` +
          `${Math.min(ox, x1)} ${Math.min(oy, y1)} ${Math.max(ox, x1)} ${Math.max(oy, y1)})`
        : '';
    throw new TidemarkError(
      'UNSUPPORTED',
      `${sceneName}: ${what} is not on the grid of the scene (${gridText(ref)}; it has ${gridText(other)}): it ` +
        `needs the same CRS and origin, and pixels of the same size or a whole multiple of it up to ` +
        `${MAX_RESOLUTION_RATIO}×; resample it onto the scene's grid first${warp}`,
    );
  }
  return factor;
}

/** A STAC Item or band files as plain data: the scene and a GeoTIFF snapshot per band (source-snapshot.ts). */
export interface BandFilesSnapshot {
  kind: 'band-files';
  info: SceneInfo;
  /**
   * Scene band → the part that holds it (`band` in that part's own mapping); key `mask` for each cloud mask.
   * Parts of one file share one snapshot object, and so one restored source.
   */
  parts: Array<{ key: BandKey; band: BandKey; factor: number; source: GeoTiffSnapshot }>;
}

export async function restoreBandFilesSource(snapshot: BandFilesSnapshot): Promise<SceneSource> {
  const parts = new Map<BandKey, Part>();
  const masks: Part[] = [];
  const sources = new Map<GeoTiffSnapshot, GeoTiffSceneSource>();
  for (const { key, band, factor, source } of snapshot.parts) {
    let restored = sources.get(source);
    if (!restored) {
      restored = await restoreGeoTiffSource(source);
      sources.set(source, restored);
    }
    if (key === 'mask') masks.push({ band, factor, source: restored });
    else parts.set(key, { band, factor, source: restored });
  }
  return new CompositeSource(snapshot.info, parts, masks);
}

export class CompositeSource implements SceneSource {
  #snapshot: BandFilesSnapshot | undefined;

  constructor(
    readonly info: SceneInfo,
    private readonly parts: Map<BandKey, Part>,
    private readonly masks: Part[],
  ) {}

  snapshot(): BandFilesSnapshot {
    this.#snapshot ??= {
      kind: 'band-files',
      info: this.info,
      parts: [
        ...[...this.parts].map(([key, p]) => ({
          key,
          band: p.band,
          factor: p.factor,
          source: p.source.snapshot(),
        })),
        ...this.masks.map((p) => ({
          key: 'mask' as const,
          band: p.band,
          factor: p.factor,
          source: p.source.snapshot(),
        })),
      ],
    };
    return this.#snapshot;
  }

  async readWindow<B extends BandKey>(
    window: PixelWindow,
    bands: readonly B[],
    signal?: AbortSignal,
  ): Promise<Record<B, Float32Array>> {
    const reads: Part[] = bands.map((band) => {
      const part = band === 'mask' ? this.masks[0] : this.parts.get(band);
      if (!part) {
        throw new TidemarkError(
          'MISSING_BAND',
          `band ${band} is not among the bands of ${this.info.fileName}`,
        );
      }
      return part;
    });
    // Cloud classes of an SCL band, and non-zero values of each cloud mask, mask every band read with them.
    const scl = this.parts.get('scl');
    const sclMasking = scl !== undefined && !bands.includes('scl' as B);
    if (sclMasking) reads.push(scl);
    const masks = bands.includes('mask' as B) ? [] : this.masks;
    reads.push(...masks);
    const values = await readParts(reads, window, signal);
    const out = values.slice(0, bands.length);
    masks.forEach((mask, j) => {
      const m = values[bands.length + (sclMasking ? 1 : 0) + j]!;
      const nodata = mask.source.info.nodata;
      for (let i = 0; i < m.length; i++) {
        if (cloudMasked(m[i]!, nodata)) for (const band of out) band[i] = Number.NaN;
      }
    });
    if (sclMasking) {
      const classes = values[bands.length]!;
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

  async close(): Promise<void> {
    await closeAll([...this.parts.values(), ...this.masks]);
  }
}

/**
 * Each part's band over the window, on the scene's grid. Parts of one file are read together, in one pass
 * over its blocks; a coarser file is read over the matching coarse window and repeated (nearest neighbour).
 */
async function readParts(
  parts: readonly Part[],
  w: PixelWindow,
  signal?: AbortSignal,
): Promise<Float32Array[]> {
  const out: Float32Array[] = new Array(parts.length);
  const bySource = new Map<GeoTiffSceneSource, number[]>();
  parts.forEach((part, i) => {
    const list = bySource.get(part.source) ?? [];
    list.push(i);
    bySource.set(part.source, list);
  });
  for (const [source, indices] of bySource) {
    const f = parts[indices[0]!]!.factor;
    const bands = [...new Set(indices.map((i) => parts[i]!.band))];
    if (f === 1) {
      const read = await source.readWindow(w, bands, signal);
      for (const i of indices) out[i] = read[parts[i]!.band];
      continue;
    }
    const { width, height } = source.info;
    const coarse = {
      x0: Math.floor(w.x0 / f),
      y0: Math.floor(w.y0 / f),
      x1: Math.min(width, Math.ceil(w.x1 / f)),
      y1: Math.min(height, Math.ceil(w.y1 / f)),
    };
    const read = await source.readWindow(coarse, bands, signal);
    const cw = coarse.x1 - coarse.x0;
    const ww = w.x1 - w.x0;
    for (const i of indices) {
      const values = read[parts[i]!.band];
      const fine = new Float32Array(ww * (w.y1 - w.y0));
      for (let y = w.y0; y < w.y1; y++) {
        const from = (Math.floor(y / f) - coarse.y0) * cw;
        const to = (y - w.y0) * ww;
        for (let x = w.x0; x < w.x1; x++) fine[to + x - w.x0] = values[from + Math.floor(x / f) - coarse.x0]!;
      }
      out[i] = fine;
    }
  }
  return out;
}
