import { readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TidemarkError } from '../common/errors.ts';
import { fileErrorText } from '../common/file-error-text.ts';
import type { OpenBandFilesOptions } from './band-files-source.ts';
import { bandKeyFromDescription } from './band-mapping.ts';
import { fetchErrorText, isHttpUrl, localPath } from './byte-reader.ts';
import { closeAll, compositeSource, openCloudMask, type Part } from './composite-source.ts';
import { type GeoTiffSceneSource, openGeoTiffSource } from './geotiff-source.ts';
import { parseJsonText } from './parse-json-text.ts';
import { parseSceneDate } from './scene-date.ts';
import { type BandKey, DEFAULT_MAX_PIXELS, type SceneSource } from './scene-source.ts';
import { namesABand, type StacAssetBands, stacAssetBands } from './stac-assets.ts';

// The snapshot of a STAC Item's source is that of any composite source (composite-source.ts).
export { type BandFilesSnapshot, restoreBandFilesSource } from './composite-source.ts';

/** `mask`: a cloud-mask GeoTIFF on the scene's grid (`--mask`), beside any cloud-mask asset of the item. */
export type OpenStacOptions = OpenBandFilesOptions;

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

function invalid(itemName: string, message: string): TidemarkError {
  return new TidemarkError('INVALID_INPUT', `${itemName}: ${message}`);
}

/**
 * Where an asset's href points: an http(s) URL (read in place through range requests) or a local path.
 * A relative href resolves against the item's location. A local href is a URI reference (RFC 3986), so
 * percent-escapes are decoded (`sp%20ace/g%201.tif`), as for file:// URLs; a `%` that starts no escape is
 * taken as it is, as catalogues written by hand often hold plain paths.
 */
function assetPath(itemPath: string, itemName: string, key: string, href: unknown): string {
  if (typeof href !== 'string' || href === '') throw invalid(itemName, `asset "${key}" has no href`);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href)?.[1]?.toLowerCase();
  const url = scheme !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(href);
  // Relative to an item fetched over http(s).
  if (!url && isHttpUrl(itemPath)) return new URL(href, itemPath).href;
  if (url && (scheme === 'http' || scheme === 'https')) return href;
  if (url && scheme === 'file') return fileURLToPath(href);
  if (url) {
    throw new TidemarkError(
      'UNSUPPORTED',
      `${itemName}: asset "${key}" uses an unsupported URL scheme (${href})`,
    );
  }
  let path = href;
  try {
    path = decodeURIComponent(href);
  } catch {
    // Not percent-encoded.
  }
  return isAbsolute(path) ? path : resolve(dirname(itemPath), path);
}

/** An asset's band chosen for a band key. */
interface Choice {
  asset: StacAssetBands;
  band: number;
}

/**
 * Which band of which asset holds each band key, first that applies: the band descriptions of the asset
 * files themselves (opened as `probes`), then the item's eo:bands / STAC 1.1 bands common names, then its
 * band names and asset keys. A file's own description wins over what the item says about that band, as a
 * GeoTIFF's descriptions win for a single file; `--bands` does not apply to an item.
 */
function chooseBands(
  itemName: string,
  assets: readonly StacAssetBands[],
  probes: ReadonlyMap<string, GeoTiffSceneSource>,
): Map<BandKey, Choice> {
  const chosen = new Map<BandKey, Choice>();
  const described = (asset: StacAssetBands, band: number) =>
    bandKeyFromDescription(probes.get(asset.key)!.info.bandDescriptions[band - 1] ?? '');
  const claim = (key: BandKey | null, asset: StacAssetBands, band: number, byItem: boolean) => {
    if (key === null || chosen.has(key)) return;
    const bandCount = probes.get(asset.key)!.info.bandDescriptions.length;
    if (band > bandCount) {
      throw invalid(
        itemName,
        `asset "${asset.key}" lists ${key} as band ${band}, but its file has ${bandCount} band${bandCount === 1 ? '' : 's'}`,
      );
    }
    // The file's own description of the band wins over the item's.
    if (byItem && described(asset, band) !== null) return;
    chosen.set(key, { asset, band });
  };
  for (const asset of assets) {
    const count = probes.get(asset.key)!.info.bandDescriptions.length;
    for (let band = 1; band <= count; band++) claim(described(asset, band), asset, band, false);
  }
  for (const level of ['commonNames', 'bandNames'] as const) {
    for (const asset of assets) {
      for (const [i, key] of asset[level].entries()) claim(key, asset, i + 1, true);
    }
  }
  for (const asset of assets) claim(asset.keyName, asset, 1, true);
  return chosen;
}

/**
 * A STAC Item whose assets are GeoTIFFs (one per band, or multi-band) read as one scene on the grid of its
 * finest band asset (composite-source.ts). Bands are chosen by chooseBands; scale, offset and nodata from
 * the item (raster:bands) apply where a file has none; assets with role "cloud" are cloud masks, and so
 * is `options.mask`.
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
  const assets = stacAssetBands(item.assets as Record<string, unknown>);
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  // Assets the item says are bands; failing that, its GeoTIFFs, which may name their bands themselves.
  // Renderings for display (role visual, e.g. Sentinel-2's 8-bit TCI) are no reflectance: never read.
  const readable = assets.filter((a) => !a.notGeotiff && !a.cloudMask && !a.visual);
  const named = readable.filter(namesABand);
  const candidates = named.length > 0 ? named : readable.filter((a) => a.geotiff);
  const noBand = () =>
    new TidemarkError(
      'MISSING_BAND',
      `${itemName}: no asset is a known band (eo:bands common names green/nir/swir16/swir22 or STAC 1.1 bands ` +
        'eo:common_name, asset keys like B03 or green, or band descriptions like B03 in the files)',
    );
  if (candidates.length === 0) throw noBand();
  const probes = new Map<string, GeoTiffSceneSource>();
  const parts = new Map<BandKey, Part>();
  const masks: Part[] = [];
  const labels = new Map<BandKey, string>();
  try {
    for (const asset of candidates) {
      const path = assetPath(itemPath, itemName, asset.key, asset.href);
      probes.set(asset.key, await openGeoTiffSource(path, { maxPixels, radiometry: asset.radiometry }));
    }
    const chosen = chooseBands(itemName, candidates, probes);
    if (chosen.size === 0) throw noBand();
    for (const asset of candidates) {
      const bands = Object.fromEntries(
        [...chosen].filter(([, c]) => c.asset === asset).map(([key, c]) => [key, c.band]),
      ) as Partial<Record<BandKey, number>>;
      const probe = probes.get(asset.key)!;
      probes.delete(asset.key);
      const keys = Object.keys(bands) as BandKey[];
      if (keys.length === 0) {
        await probe.close();
        continue;
      }
      // The probe serves when its descriptions map the bands as chosen; otherwise the file is opened again
      // with them mapped explicitly (which also finds a Sentinel-2 BOA offset by band: boaAddOffset).
      let source = probe;
      if (!keys.every((key) => probe.info.bandMap[key] === bands[key])) {
        await probe.close();
        source = await openGeoTiffSource(assetPath(itemPath, itemName, asset.key, asset.href), {
          maxPixels,
          bands,
          radiometry: asset.radiometry,
        });
      }
      for (const key of keys) {
        parts.set(key, { source, band: key, factor: 1, what: `the ${key} asset "${asset.key}"` });
        labels.set(key, asset.key);
      }
    }
    for (const asset of assets.filter((a) => a.cloudMask && !a.notGeotiff)) {
      const path = assetPath(itemPath, itemName, asset.key, asset.href);
      // A mask is read as it is stored: only the item's nodata applies, not a scale or offset.
      const radiometry = asset.radiometry.map((r) =>
        r?.nodata !== undefined ? { nodata: r.nodata } : undefined,
      );
      masks.push(await openCloudMask(path, `the cloud-mask asset "${asset.key}"`, { maxPixels, radiometry }));
    }
    if (options.mask !== undefined) {
      const name = isHttpUrl(options.mask)
        ? basename(new URL(options.mask).pathname)
        : basename(localPath(options.mask));
      masks.push(await openCloudMask(options.mask, `--mask ${name}`, { maxPixels }));
    }
    const datetime = item.properties?.datetime;
    const itemDate = typeof datetime === 'string' ? parseSceneDate(datetime) : null;
    return compositeSource(itemName, parts, masks, labels, 'stac-item', options.date, itemDate);
  } catch (err) {
    for (const probe of probes.values()) await probe.close();
    await closeAll([...parts.values(), ...masks]);
    throw err;
  }
}
