import type { AssetRadiometry } from './asset-radiometry.ts';
import type { BandKey } from './scene-source.ts';

/**
 * What a STAC Item says about its assets' bands, read from the JSON alone (no file is opened): STAC 1.0
 * `eo:bands` and `raster:bands`, STAC 1.1 `bands` (with `eo:common_name`, `raster:scale`, `raster:offset`,
 * `nodata`, also given once on the asset for all its bands), asset keys and roles.
 */
export interface StacAssetBands {
  /** The asset's key in the item. */
  key: string;
  href: unknown;
  /** Per band of the asset: the band key its common name names, or null. */
  commonNames: (BandKey | null)[];
  /** Per band: the band key its band name names (eo:bands `name` such as B03 or SCL), or null. */
  bandNames: (BandKey | null)[];
  /** The band key the asset's key names (`B03`, `green`, `SR_B6`, `scl`), read as its first band. */
  keyName: BandKey | null;
  /** A cloud mask (role "cloud", or a key such as cloud_mask): its first band, non-zero masked. */
  cloudMask: boolean;
  /** Per band: scale, offset and nodata from the item, applied where the file has none. */
  radiometry: (AssetRadiometry | undefined)[];
  /** A GeoTIFF by its media type or file name (opened for its band descriptions when nothing else maps). */
  geotiff: boolean;
  /**
   * Certainly no GeoTIFF: another media type (Earth Search lists each band twice, as a GeoTIFF and as a
   * JPEG 2000 on s3://) or file name. Such an asset is never opened.
   */
  notGeotiff: boolean;
  /** A rendering for display (role visual or overview, e.g. Sentinel-2's 8-bit TCI), not reflectance. */
  visual: boolean;
}

/** Asset keys and band names that name a band outright (Earth Search, Planetary Computer, Landsat C2). */
const BAND_NAMES: Record<string, BandKey> = {
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

/** STAC common names of the bands we use (eo:common_name); `nir08` is the 0.865 µm band. */
const COMMON_NAMES: Record<string, BandKey> = {
  green: 'green',
  red: 'red',
  nir: 'nir',
  nir08: 'nir',
  swir16: 'swir16',
  swir22: 'swir22',
};

const CLOUD_MASK_KEYS = /^(cloud|clouds|cloud[_-]?mask)$/i;

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map(record) : [];
}

function lower(value: unknown): string {
  return typeof value === 'string' ? value.trim().toLowerCase() : '';
}

/** A number, or STAC's spellings of the special values ("nan", "inf", "-inf"); undefined otherwise. */
function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number' && !Number.isNaN(value)) return value;
  if (typeof value !== 'string') return undefined;
  const special: Record<string, number> = {
    nan: Number.NaN,
    inf: Number.POSITIVE_INFINITY,
    '-inf': Number.NEGATIVE_INFINITY,
  };
  return special[value.trim().toLowerCase()];
}

function radiometryOf(
  band: Record<string, unknown>,
  raster: Record<string, unknown>,
  asset: Record<string, unknown>,
): AssetRadiometry | undefined {
  const scale = numberOf(band['raster:scale'] ?? raster.scale ?? asset['raster:scale']);
  const offset = numberOf(band['raster:offset'] ?? raster.offset ?? asset['raster:offset']);
  const nodata = numberOf(band.nodata ?? raster.nodata ?? asset.nodata);
  if (scale === undefined && offset === undefined && nodata === undefined) return undefined;
  return {
    // A zero or non-finite scale is no scale (GDAL reads it so too).
    ...(scale !== undefined && Number.isFinite(scale) && scale !== 0 ? { scale } : {}),
    ...(offset !== undefined && Number.isFinite(offset) ? { offset } : {}),
    ...(nodata !== undefined ? { nodata } : {}),
  };
}

export function stacAssetBands(assets: Readonly<Record<string, unknown>>): StacAssetBands[] {
  return Object.entries(assets).map(([key, value]) => {
    const asset = record(value);
    // STAC 1.1 `bands` replaces 1.0 `eo:bands` and `raster:bands`; either may be there.
    const bands = records(asset.bands ?? asset['eo:bands']);
    const raster = records(asset['raster:bands']);
    const count = Math.max(bands.length, raster.length, asset['eo:common_name'] !== undefined ? 1 : 0);
    const commonNames: (BandKey | null)[] = [];
    const bandNames: (BandKey | null)[] = [];
    const radiometry: (AssetRadiometry | undefined)[] = [];
    for (let i = 0; i < count; i++) {
      const band = bands[i] ?? {};
      const common = lower(band['eo:common_name'] ?? band.common_name ?? asset['eo:common_name']);
      commonNames.push(COMMON_NAMES[common] ?? null);
      bandNames.push(BAND_NAMES[lower(band.name)] ?? null);
      radiometry.push(radiometryOf(band, raster[i] ?? {}, asset));
    }
    if (count === 0) radiometry.push(radiometryOf({}, {}, asset));
    const roles = Array.isArray(asset.roles) ? asset.roles.map(lower) : [];
    const href = typeof asset.href === 'string' ? asset.href : '';
    return {
      key,
      href: asset.href,
      commonNames,
      bandNames,
      keyName: BAND_NAMES[key.toLowerCase()] ?? null,
      cloudMask: (roles.includes('cloud') || CLOUD_MASK_KEYS.test(key)) && !isClassified(asset, key),
      radiometry,
      geotiff: /tiff/i.test(lower(asset.type)) || /\.tiff?(\?.*)?$/i.test(href),
      notGeotiff:
        (lower(asset.type) !== '' && !/tiff/i.test(lower(asset.type))) ||
        /\.(jp2|png|jpe?g|webp|xml|json|html?|txt)(\?.*)?$/i.test(href),
      visual: roles.includes('visual') || roles.includes('overview'),
    };
  });
}

/**
 * Whether an asset's values are classes or bit flags, not a 0/non-0 mask: the STAC classification extension,
 * or Landsat's QA_PIXEL (role "cloud" in the Collection 2 catalogues, but bit flags in which clear pixels are
 * non-zero). Read as a simple mask, such a band would mask every pixel; it is left out instead.
 */
function isClassified(asset: Record<string, unknown>, key: string): boolean {
  const bands = [
    asset,
    ...(Array.isArray(asset['raster:bands']) ? asset['raster:bands'] : []),
    ...(Array.isArray(asset.bands) ? asset.bands : []),
  ];
  return (
    /^qa_pixel$/i.test(key) ||
    bands.some(
      (b) =>
        typeof b === 'object' &&
        b !== null &&
        ('classification:bitfields' in b || 'classification:classes' in b),
    )
  );
}

/** Whether the item says anything about an asset's bands that maps one of ours. */
export function namesABand(asset: StacAssetBands): boolean {
  return (
    asset.cloudMask ||
    asset.keyName !== null ||
    asset.commonNames.some((k) => k !== null) ||
    asset.bandNames.some((k) => k !== null)
  );
}
