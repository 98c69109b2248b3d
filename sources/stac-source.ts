import { readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TidemarkError } from '../common/errors.ts';
import { fileErrorText } from '../common/file-error-text.ts';
import { bandKeyFromDescription } from './band-mapping.ts';
import { fetchErrorText, isHttpUrl, localPath } from './byte-reader.ts';
import {
  type GeoTiffSceneSource,
  type GeoTiffSnapshot,
  openGeoTiffSource,
  restoreGeoTiffSource,
} from './geotiff-source.ts';
import { parseJsonText } from './parse-json-text.ts';
import { parseDateFlag, parseSceneDate } from './scene-date.ts';
import {
  BAND_KEYS,
  type BandKey,
  DEFAULT_MAX_PIXELS,
  type PixelWindow,
  SCL_CLOUD_CLASSES,
  type SceneInfo,
  type SceneSource,
} from './scene-source.ts';

export interface OpenStacOptions {
  date?: string;
  maxPixels?: number;
}

interface StacAsset {
  href?: unknown;
  'eo:bands'?: unknown;
}

/** Asset keys that name a band outright (Earth Search, Planetary Computer, Landsat C2 conventions). */
const ASSET_NAMES: Record<string, BandKey> = {
  green: 'green',
  red: 'red',
  nir: 'nir',
  nir08: 'nir',
  swir16: 'swir16',
  swir22: 'swir22',
  scl: 'scl',
  b03: 'green',
  b04: 'red',
  b08: 'nir',
  b11: 'swir16',
  b12: 'swir22',
  sr_b3: 'green',
  sr_b4: 'red',
  sr_b5: 'nir',
  sr_b6: 'swir16',
  sr_b7: 'swir22',
};

async function fetchText(url: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new TidemarkError('INVALID_INPUT', `cannot fetch ${url}: ${fetchErrorText(err)}`, { cause: err });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new TidemarkError(
      response.status === 404 ? 'NOT_FOUND' : 'INVALID_INPUT',
      `cannot read ${url}: HTTP ${response.status}`,
    );
  }
  return response.text();
}

/** Largest ratio between an asset's pixel size and the finest asset's (Sentinel-2: 10/20/60 m). */
const MAX_RESOLUTION_RATIO = 8;

function invalid(itemName: string, message: string): TidemarkError {
  return new TidemarkError('INVALID_INPUT', `${itemName}: ${message}`);
}

/** Where an asset's href points, as a local path (relative hrefs resolve against the item's folder). */
function assetPath(itemPath: string, itemName: string, key: string, href: unknown): string {
  if (typeof href === 'string' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(href) && /^https?:\/\//i.test(itemPath)) {
    // Relative to an item fetched over http(s).
    return new URL(href, itemPath).href;
  }
  if (typeof href !== 'string' || href === '') throw invalid(itemName, `asset "${key}" has no href`);
  // http(s) COGs are read in place through range requests.
  if (/^https?:\/\//i.test(href)) return href;
  if (/^file:\/\//i.test(href)) return fileURLToPath(href);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(href)) {
    throw new TidemarkError(
      'UNSUPPORTED',
      `${itemName}: asset "${key}" uses an unsupported URL scheme (${href})`,
    );
  }
  return isAbsolute(href) ? href : resolve(dirname(itemPath), href);
}

/** Which band of which asset holds each band key: eo:bands common names first, then asset keys. */
function mapAssets(
  itemName: string,
  assets: Record<string, StacAsset>,
): Map<BandKey, { key: string; band: number }> {
  const found = new Map<BandKey, { key: string; band: number }>();
  for (const [key, asset] of Object.entries(assets)) {
    const eo = Array.isArray(asset['eo:bands'])
      ? (asset['eo:bands'] as { common_name?: unknown; name?: unknown }[])
      : [];
    eo.forEach((b, i) => {
      const common = typeof b.common_name === 'string' ? b.common_name.toLowerCase() : '';
      const name = typeof b.name === 'string' ? b.name.toLowerCase() : '';
      const bandKey = (BAND_KEYS as readonly string[]).includes(common)
        ? (common as BandKey)
        : (ASSET_NAMES[common] ?? (name === 'scl' ? 'scl' : undefined));
      if (bandKey && !found.has(bandKey)) found.set(bandKey, { key, band: i + 1 });
    });
  }
  for (const key of Object.keys(assets)) {
    const bandKey = ASSET_NAMES[key.toLowerCase()];
    if (bandKey && !found.has(bandKey)) found.set(bandKey, { key, band: 1 });
  }
  if (found.size === 0) {
    throw new TidemarkError(
      'MISSING_BAND',
      `${itemName}: no asset is a known band (eo:bands common names green/nir/swir16/swir22, or asset keys like B03, green)`,
    );
  }
  return found;
}

interface Part {
  source: GeoTiffSceneSource;
  band: BandKey;
  /** Coarser assets (e.g. 20 m SWIR beside 10 m green) are read at 1/factor and repeated. */
  factor: number;
}

/**
 * A STAC Item whose assets are GeoTIFFs (one per band, or multi-band with eo:bands) read as one scene on the
 * grid of its finest asset. Coarser assets must line up with it at an integer ratio; they are read by
 * nearest neighbour, as GDAL's default resampling would.
 */
export async function openStacSource(location: string, options: OpenStacOptions = {}): Promise<SceneSource> {
  const itemPath = isHttpUrl(location) ? location : localPath(location);
  const itemName = isHttpUrl(itemPath) ? basename(new URL(itemPath).pathname) : basename(itemPath);
  let text: string;
  if (isHttpUrl(itemPath)) text = await fetchText(itemPath);
  else {
    try {
      text = readFileSync(itemPath, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new TidemarkError(
        code === 'ENOENT' ? 'NOT_FOUND' : 'INVALID_INPUT',
        `cannot read scene ${location}: ${fileErrorText(err)}`,
        { cause: err },
      );
    }
  }
  const item = parseJsonText(text, location) as {
    type?: unknown;
    assets?: unknown;
    properties?: { datetime?: unknown };
  } | null;
  if (item?.type !== 'Feature' || typeof item.assets !== 'object' || item.assets === null) {
    throw invalid(itemName, 'is not a STAC Item (expected "type": "Feature" with "assets")');
  }
  const assets = item.assets as Record<string, StacAsset>;
  const mapping = mapAssets(itemName, assets);
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const sources = new Map<string, GeoTiffSceneSource>();
  const parts = new Map<BandKey, Part>();
  for (const [band, { key, band: number }] of mapping) {
    const path = assetPath(itemPath, itemName, key, assets[key]!.href);
    const cacheKey = `${path}#${number}`;
    let source = sources.get(cacheKey);
    if (!source) {
      source = await openGeoTiffSource(path, { bands: { [band]: number }, maxPixels });
      sources.set(cacheKey, source);
    }
    parts.set(band, { source, band, factor: 1 });
  }
  const datetime = item.properties?.datetime;
  const itemDate = typeof datetime === 'string' ? parseSceneDate(datetime) : null;
  const labels = new Map([...mapping].map(([band, { key }]) => [band, key]));
  return compositeSource(itemName, parts, labels, options.date, itemDate);
}

/**
 * One scene from bands held by several sources, on the grid of the finest of them (coarser ones must line
 * up at an integer ratio and are read by nearest neighbour). The date: --date, else `date`, else the
 * finest source's metadata.
 */
function compositeSource(
  name: string,
  parts: Map<BandKey, Part>,
  labels: Map<BandKey, string>,
  dateFlag: string | undefined,
  date: string | null,
): SceneSource {
  const reference = [...parts.values()].reduce((a, b) =>
    Math.abs(b.source.info.geoTransform[1]) < Math.abs(a.source.info.geoTransform[1]) ? b : a,
  ).source.info;
  for (const part of parts.values()) part.factor = gridFactor(name, reference, part.source.info, part.band);
  const keys = [...parts.keys()];
  const info: SceneInfo = {
    ...reference,
    fileName: name,
    date: dateFlag !== undefined ? parseDateFlag(dateFlag) : (date ?? reference.date),
    bandMap: Object.fromEntries(keys.map((k, i) => [k, i + 1])),
    bandDescriptions: keys.map((k) => labels.get(k) ?? k),
  };
  return new StacSource(info, parts);
}

/**
 * One GeoTIFF per band (e.g. B03.tif B08.tif B11.tif): each file's bands are mapped by their descriptions
 * (or, for a single-band file without one, by a band name in the file name), first file first. Every file
 * must add a band the earlier ones do not map, and files dated by their metadata must share one date:
 * otherwise they are more likely several scenes than one scene's bands, and merging them would silently
 * drop all but the first.
 */
export async function openBandFilesSource(
  paths: readonly string[],
  options: OpenStacOptions = {},
): Promise<SceneSource> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const parts = new Map<BandKey, Part>();
  const labels = new Map<BandKey, string>();
  const names = paths.map((p) => (isHttpUrl(p) ? basename(new URL(p).pathname) : basename(localPath(p))));
  const unmapped: string[] = [];
  let dated: { name: string; date: string } | null = null;
  try {
    for (const [k, path] of paths.entries()) {
      const name = names[k]!;
      let source = await openGeoTiffSource(path, { maxPixels });
      try {
        let mapped = Object.keys(source.info.bandMap) as BandKey[];
        if (mapped.length === 0 && source.info.bandDescriptions.length === 1) {
          // A single band named by its file (…_B11.tif, swir16.tif).
          const stem =
            name
              .replace(/\.[^.]*$/, '')
              .split(/[^A-Za-z0-9]+/)
              .pop() ?? '';
          const key = bandKeyFromDescription(stem);
          if (key) {
            await source.close();
            source = await openGeoTiffSource(path, { maxPixels, bands: { [key]: 1 } });
            mapped = [key];
          }
        }
        if (mapped.length === 0) {
          unmapped.push(name);
          continue;
        }
        const added = mapped.filter((band) => !parts.has(band));
        if (added.length === 0) throw repeatedBands(name, mapped, labels);
        const date = source.info.date;
        if (date !== null) {
          if (dated && dated.date.slice(0, 10) !== date.slice(0, 10)) {
            throw new TidemarkError(
              'INVALID_INPUT',
              `${name} was acquired on ${date}, but ${dated.name} on ${dated.date}: the files of one scene ` +
                `share one acquisition date. Each scene needs its own \`tidemark extract\` run (or use ` +
                `\`tidemark ingest\` for several scenes)`,
              { details: { files: [dated.name, name], dates: [dated.date, date] } },
            );
          }
          dated ??= { name, date };
        }
        for (const band of added) {
          const single = await openGeoTiffSource(path, {
            maxPixels,
            bands: { [band]: source.info.bandMap[band]! },
          });
          parts.set(band, { source: single, band, factor: 1 });
          labels.set(band, name);
        }
      } finally {
        await source.close();
      }
    }
    if (parts.size === 0) {
      throw new TidemarkError(
        'MISSING_BAND',
        `none of ${names.join(', ')} is a known band: set band descriptions (B03, B08, B11…) or name the files after them`,
      );
    }
    if (unmapped.length > 0) {
      const one = unmapped.length === 1;
      throw new TidemarkError(
        'MISSING_BAND',
        `${unmapped.join(', ')}: no known band: set ${one ? 'its band description' : 'their band descriptions'} ` +
          `(B03, B08, B11…) or name ${one ? 'the file after its band' : 'the files after their bands'}`,
      );
    }
    return compositeSource(names.join('+'), parts, labels, options.date, null);
  } catch (err) {
    for (const part of parts.values()) await part.source.close();
    throw err;
  }
}

/** The error for a band file that only repeats bands already mapped from earlier files. */
function repeatedBands(name: string, bands: readonly BandKey[], labels: Map<BandKey, string>): TidemarkError {
  const from = [...new Set(bands.map((band) => labels.get(band)!))];
  return new TidemarkError(
    'INVALID_INPUT',
    `${name} adds no band: ${bands.join(', ')} ${bands.length === 1 ? 'is' : 'are'} already mapped from ` +
      `${from.join(', ')}. Several files are read as one scene, one file per band; each scene needs its own ` +
      '`tidemark extract` run (or use `tidemark ingest` for several scenes)',
    { details: { file: name, bands } },
  );
}

/** How many reference pixels one pixel of `other` spans (1 for the same grid); UNSUPPORTED otherwise. */
function gridFactor(itemName: string, ref: SceneInfo, other: SceneInfo, band: BandKey): number {
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
    throw new TidemarkError(
      'UNSUPPORTED',
      `${itemName}: the ${band} asset is not on the grid of the other bands (same CRS and origin, pixel size an ` +
        `integer multiple up to ${MAX_RESOLUTION_RATIO}×); resample it to ${Math.abs(px)}-unit pixels first`,
    );
  }
  return factor;
}

const CLOUDY = new Uint8Array(256);
for (const c of SCL_CLOUD_CLASSES) CLOUDY[c] = 1;

/** A STAC Item or band files as plain data: the scene and a GeoTIFF snapshot per band (source-snapshot.ts). */
export interface BandFilesSnapshot {
  kind: 'band-files';
  info: SceneInfo;
  /** Scene band → the part that holds it (`band` in that part's own mapping). */
  parts: Array<{ key: BandKey; band: BandKey; factor: number; source: GeoTiffSnapshot }>;
}

export async function restoreBandFilesSource(snapshot: BandFilesSnapshot): Promise<SceneSource> {
  const parts = new Map<BandKey, Part>();
  for (const { key, band, factor, source } of snapshot.parts) {
    parts.set(key, { band, factor, source: await restoreGeoTiffSource(source) });
  }
  return new StacSource(snapshot.info, parts);
}

class StacSource implements SceneSource {
  #snapshot: BandFilesSnapshot | undefined;

  constructor(
    readonly info: SceneInfo,
    private readonly parts: Map<BandKey, Part>,
  ) {}

  snapshot(): BandFilesSnapshot {
    this.#snapshot ??= {
      kind: 'band-files',
      info: this.info,
      parts: [...this.parts].map(([key, p]) => ({
        key,
        band: p.band,
        factor: p.factor,
        source: p.source.snapshot(),
      })),
    };
    return this.#snapshot;
  }

  async readWindow<B extends BandKey>(
    window: PixelWindow,
    bands: readonly B[],
    signal?: AbortSignal,
  ): Promise<Record<B, Float32Array>> {
    const masking = this.parts.has('scl') && !bands.includes('scl' as B);
    const wanted: BandKey[] = masking ? [...bands, 'scl'] : [...bands];
    const out = {} as Record<BandKey, Float32Array>;
    for (const band of wanted) {
      const part = this.parts.get(band);
      if (!part)
        throw new TidemarkError(
          'MISSING_BAND',
          `band ${band} is not among the assets of ${this.info.fileName}`,
        );
      out[band] = await readPart(part, window, signal);
    }
    if (masking) {
      const classes = out.scl;
      for (let i = 0; i < classes.length; i++) {
        if (CLOUDY[classes[i]! & 0xff] === 1) for (const band of bands) out[band][i] = Number.NaN;
      }
    }
    return out as Record<B, Float32Array>;
  }

  async close(): Promise<void> {
    for (const part of this.parts.values()) await part.source.close();
  }
}

async function readPart(part: Part, w: PixelWindow, signal?: AbortSignal): Promise<Float32Array> {
  const f = part.factor;
  if (f === 1) return (await part.source.readWindow(w, [part.band], signal))[part.band];
  const { width, height } = part.source.info;
  const coarse = {
    x0: Math.floor(w.x0 / f),
    y0: Math.floor(w.y0 / f),
    x1: Math.min(width, Math.ceil(w.x1 / f)),
    y1: Math.min(height, Math.ceil(w.y1 / f)),
  };
  const values = (await part.source.readWindow(coarse, [part.band], signal))[part.band];
  const cw = coarse.x1 - coarse.x0;
  const ww = w.x1 - w.x0;
  const out = new Float32Array(ww * (w.y1 - w.y0));
  for (let y = w.y0; y < w.y1; y++) {
    const from = (Math.floor(y / f) - coarse.y0) * cw;
    const to = (y - w.y0) * ww;
    for (let x = w.x0; x < w.x1; x++) out[to + x - w.x0] = values[from + Math.floor(x / f) - coarse.x0]!;
  }
  return out;
}
