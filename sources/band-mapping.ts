import { TidemarkError } from '../common/errors.ts';
import { BAND_KEYS, type BandKey, type SceneInfo } from './scene-source.ts';

/** What each band is, after its key (the key is the first word, so a message naming it never repeats it). */
const BAND_LABEL: Record<BandKey, string> = {
  green: 'green (Sentinel-2 B03, Landsat 8/9 SR_B3)',
  red: 'red (Sentinel-2 B04, Landsat 8/9 SR_B4)',
  nir: 'nir (near infrared: Sentinel-2 B08, Landsat 8/9 SR_B5)',
  swir16: 'swir16 (SWIR 1.6 µm: Sentinel-2 B11, Landsat 8/9 SR_B6)',
  swir22: 'swir22 (SWIR 2.2 µm: Sentinel-2 B12, Landsat 8/9 SR_B7)',
  scl: 'scl (Sentinel-2 scene classification, SCL)',
  mask: 'mask (a cloud mask: non-zero masked)',
};

/** The Sentinel-2 band name of each band key, for examples of band file names. */
const SENTINEL2_NAME: Partial<Record<BandKey, string>> = {
  green: 'B03',
  red: 'B04',
  nir: 'B08',
  swir16: 'B11',
  swir22: 'B12',
  scl: 'SCL',
};

const SENTINEL2: Record<string, BandKey> = {
  '3': 'green',
  '4': 'red',
  '8': 'nir',
  '11': 'swir16',
  '12': 'swir22',
};
const LANDSAT89: Record<string, BandKey> = {
  '3': 'green',
  '4': 'red',
  '5': 'nir',
  '6': 'swir16',
  '7': 'swir22',
};
const COMMON_NAMES: Record<string, BandKey> = {
  GREEN: 'green',
  RED: 'red',
  NIR: 'nir',
  NIR08: 'nir',
  SWIR16: 'swir16',
  SWIR1: 'swir16',
  SWIR22: 'swir22',
  SWIR2: 'swir22',
  SCL: 'scl',
};

/**
 * The band a description names, or null. Whole names first: Landsat Collection 2 `SR_B6`; then the tokens
 * of descriptions like GDAL's `B11_swir1_1610nm`: a Sentinel-2 band number (`B3`, `B03`, `B11`) or a STAC
 * common name (`green`, `nir`, `swir16`). A bare `B5`/`B6` reads as Sentinel-2 (red edge), not Landsat.
 */
export function bandKeyFromDescription(description: string): BandKey | null {
  const upper = description.trim().toUpperCase();
  const landsat = /^SR_B(\d+)$/.exec(upper);
  if (landsat) return LANDSAT89[landsat[1]!] ?? null;
  const tokens = upper.split(/[^A-Z0-9]+/).filter((t) => t.length > 0);
  for (const token of tokens) {
    const s2 = /^B0?(\d{1,2})$/.exec(token);
    if (s2) return SENTINEL2[s2[1]!] ?? null;
  }
  for (const token of tokens) {
    const key = COMMON_NAMES[token];
    if (key) return key;
  }
  return null;
}

/**
 * The band a file is named after, or null: Landsat Collection 2 `…_SR_B6.TIF`, Sentinel-2
 * `T48PVR_20240101T031111_B11_20m.tif` or `…_B03.tif`, `…_SCL_20m.tif`, or a common name (`swir16.tif`).
 * Every part of the name counts, not only the last (`_20m`, `_10m` follow the band in Sentinel-2 names);
 * a name with two different band names in it is ambiguous and names none.
 */
export function bandKeyFromFileName(fileName: string): BandKey | null {
  const stem = fileName.replace(/\.(tiff?|jp2)$/i, '').toUpperCase();
  const tokens = stem.split(/[^A-Z0-9]+/).filter((t) => t.length > 0);
  // Band numbers first: a common name may be part of a place name (`red_river_B03.tif`).
  const numbered = new Set<BandKey | null>();
  const named = new Set<BandKey>();
  tokens.forEach((token, i) => {
    const band = /^B(\d{1,2}|8A)$/.exec(token);
    const prefix = tokens[i - 1];
    if (band && prefix === 'SR') numbered.add(LANDSAT89[band[1]!] ?? null);
    // Landsat surface temperature (ST_B10) is no band we use; a bare Bn is Sentinel-2's (B05, B8A: none).
    else if (band && prefix !== 'ST') numbered.add(SENTINEL2[band[1]!.replace(/^0/, '')] ?? null);
    else if (COMMON_NAMES[token]) named.add(COMMON_NAMES[token]);
  });
  const found = numbered.size > 0 ? numbered : named;
  return found.size === 1 ? ([...found][0] ?? null) : null;
}

/** The Sentinel-2 band number (as in `B03`: '3', '11', '8A') of a description, or null. */
function sentinel2BandId(description: string): string | null {
  const upper = description.trim().toUpperCase();
  if (/^SR_B/.test(upper)) return null;
  for (const token of upper.split(/[^A-Z0-9]+/)) {
    const m = /^B0?(\d{1,2}|8A)$/.exec(token);
    if (m) return m[1]!;
  }
  return null;
}

const SENTINEL2_ID: Partial<Record<BandKey, string>> = Object.fromEntries(
  Object.entries(SENTINEL2).map(([id, key]) => [key, id]),
);

/**
 * The BOA_ADD_OFFSET of one band of a Sentinel-2 L2A product (processing baseline ≥ 04.00), NaN when the
 * metadata has none for it. GDAL keeps it per band name as a dataset item, `BOA_ADD_OFFSET_B03` (or `_B3`).
 * Which band a sample is: the key `--bands` maps it to, else the Sentinel-2 band its description names
 * (`B03`, `B3_green_560nm`, `B8A`), else a common name in its description. Band files named after their
 * band (`…_B03.tif`) are opened with that band as an explicit mapping, so they find their offset too.
 */
export function boaAddOffset(
  dataset: Readonly<Record<string, string>>,
  description: string,
  bandNumber: number,
  explicit: Partial<Record<BandKey, number>> = {},
): number {
  const byId = new Map<string, string>();
  for (const [name, value] of Object.entries(dataset)) {
    const m = /^BOA_ADD_OFFSET_B0?(\d{1,2}|8A)$/i.exec(name);
    if (m) byId.set(m[1]!.toUpperCase(), value);
  }
  if (byId.size === 0) return Number.NaN;
  const mapped = BAND_KEYS.find((key) => explicit[key] === bandNumber);
  const describedKey = bandKeyFromDescription(description);
  const id =
    (mapped && SENTINEL2_ID[mapped]) ??
    sentinel2BandId(description) ??
    (describedKey && SENTINEL2_ID[describedKey]) ??
    null;
  const value = id === null ? undefined : byId.get(id);
  return value === undefined ? Number.NaN : Number(value);
}

/**
 * Parses `--bands green=3,nir=8,swir16=11` (1-based band numbers). Every malformed part is an
 * INVALID_INPUT error that says what is wrong.
 */
export function parseBandsFlag(text: string): Partial<Record<BandKey, number>> {
  const out: Partial<Record<BandKey, number>> = {};
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.every((p) => p === '')) {
    throw new TidemarkError('INVALID_INPUT', '--bands is empty: use e.g. --bands green=3,nir=8,swir16=11');
  }
  for (const part of parts) {
    const m = /^([a-z0-9]+)\s*=\s*(\S+)$/i.exec(part);
    if (!m) {
      throw new TidemarkError(
        'INVALID_INPUT',
        `--bands: "${part}" is not KEY=N (e.g. --bands green=3,nir=8,swir16=11)`,
      );
    }
    const key = m[1]!.toLowerCase() as BandKey;
    if (!BAND_KEYS.includes(key)) {
      throw new TidemarkError(
        'INVALID_INPUT',
        `--bands: unknown band "${m[1]}"; known bands: ${BAND_KEYS.join(', ')}`,
      );
    }
    const n = Number(m[2]);
    if (!/^\d+$/.test(m[2]!) || !Number.isSafeInteger(n) || n < 1) {
      throw new TidemarkError(
        'INVALID_INPUT',
        `--bands: band number for ${key} must be a whole number ≥ 1, got "${m[2]}"`,
      );
    }
    if (out[key] !== undefined) throw new TidemarkError('INVALID_INPUT', `--bands: ${key} is given twice`);
    out[key] = n;
  }
  return out;
}

/**
 * Resolves band key → 1-based band number: explicit mapping first (checked against the band count), then
 * band descriptions. Only keys that resolve are returned; `requireBands` reports the missing ones.
 */
export function resolveBandMap(
  descriptions: readonly string[],
  bandCount: number,
  explicit: Partial<Record<BandKey, number>> = {},
): Partial<Record<BandKey, number>> {
  const out: Partial<Record<BandKey, number>> = {};
  for (const key of BAND_KEYS) {
    const n = explicit[key];
    if (n === undefined) continue;
    if (!Number.isInteger(n) || n < 1 || n > bandCount) {
      throw new TidemarkError(
        'MISSING_BAND',
        `--bands maps ${key} to band ${n}, but the scene has ${bandCount} band${bandCount === 1 ? '' : 's'}`,
        { details: { band: key, bandCount } },
      );
    }
    out[key] = n;
  }
  descriptions.forEach((description, i) => {
    const key = bandKeyFromDescription(description);
    if (key && out[key] === undefined) out[key] = i + 1;
  });
  return out;
}

/** What requireBands needs of a scene: its mapped bands and where they came from. */
export type BandSetup = Pick<SceneInfo, 'fileName' | 'bandMap' | 'bandDescriptions' | 'bandOrigin'>;

function list(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * Throws MISSING_BAND naming every needed band that is not mapped, and how to map it in the form the scene
 * came in: `--bands` (with an example that only uses band numbers the file has) for one GeoTIFF, an asset
 * for a STAC Item, another file for band files or a GeoTIFF with too few bands.
 */
export function requireBands(scene: BandSetup, needed: readonly BandKey[], purpose: string): void {
  const { bandMap, bandDescriptions: descriptions } = scene;
  const missing = needed.filter((key) => bandMap[key] === undefined);
  const first = missing[0];
  if (first === undefined) return;
  const several = missing.length > 1;
  const them = several ? 'them' : 'it';
  const head = `missing band${several ? 's' : ''} ${list(missing.map((key) => BAND_LABEL[key]))}, needed for ${purpose}`;
  const mapped = (Object.keys(bandMap) as BandKey[]).filter((key) => bandMap[key] !== undefined);
  // Example files named after their bands, the way band files are mapped without descriptions.
  const bandFile = (key: BandKey) => `T48PVS_${SENTINEL2_NAME[key] ?? key}.tif`;
  let advice: string;
  switch (scene.bandOrigin ?? 'geotiff') {
    case 'stac-item': {
      const from = mapped.map((key) => `${key} (asset "${descriptions[bandMap[key]! - 1] ?? key}")`);
      advice =
        `${scene.fileName} maps ${from.length > 0 ? list(from) : 'no band'} from its assets. --bands does not ` +
        `apply to a STAC Item: give the item ${several ? 'an asset for each' : 'an asset for it'}, with ` +
        `eo:bands common_name ${list(missing.map((k) => `"${k}"`))} (STAC 1.1: bands with eo:common_name), ` +
        `or named by its key (${list(missing.map((k) => `"${k}"`))}) or by its file's band description (${list(missing.map((k) => SENTINEL2_NAME[k] ?? k))})`;
      break;
    }
    case 'band-files': {
      const from = mapped.map((key) => `${key} (${descriptions[bandMap[key]! - 1] ?? key})`);
      const files = scene.fileName.split('+');
      advice =
        `The files map ${from.length > 0 ? list(from) : 'no band'}. --bands does not apply to one file per ` +
        `band: add ${several ? 'a GeoTIFF for each' : 'a GeoTIFF for it'}, named after its band or with its ` +
        `band description set (${list(missing.map((k) => SENTINEL2_NAME[k] ?? k))}), e.g. ` +
        `tidemark extract ${[...files, ...missing.map(bandFile)].join(' ')}`;
      break;
    }
    case 'geotiff': {
      const bandCount = descriptions.length;
      const described = descriptions.some((d) => d.length > 0)
        ? `band descriptions are ${descriptions.map((d, i) => `${i + 1}="${d}"`).join(', ')}`
        : `the ${bandCount} band${bandCount === 1 ? ' has' : 's have'} no descriptions`;
      const taken = new Set(Object.values(bandMap));
      const free = Array.from({ length: bandCount }, (_, i) => i + 1).filter((n) => !taken.has(n));
      // An example for --bands: needed bands already mapped keep their numbers, the missing ones take the
      // numbers no needed band uses, so every number exists in the file.
      const neededNumbers = new Set(needed.map((key) => bandMap[key]).filter((n) => n !== undefined));
      const spare = [
        ...free,
        ...Array.from({ length: bandCount }, (_, i) => i + 1).filter(
          (n) => taken.has(n) && !neededNumbers.has(n),
        ),
      ];
      const example =
        needed.length <= bandCount
          ? `--bands ${needed.map((key) => `${key}=${bandMap[key] ?? spare[missing.indexOf(key)]}`).join(',')}`
          : null;
      // A lone file named after its band (…_B03.tif) is mapped by its name only beside other band files.
      const named = mapped.length === 0 && bandCount === 1 ? bandKeyFromFileName(scene.fileName) : null;
      const keep = mapped.length > 0 || (named !== null && needed.includes(named));
      const others = needed.filter((key) => bandMap[key] === undefined && key !== named);
      const asFiles =
        `give ${them} as ${several ? 'further files' : 'another file'}, one GeoTIFF per band named after its ` +
        `band or with its band description set, e.g. tidemark extract ` +
        `${[...(keep ? [scene.fileName] : []), ...(keep ? others : needed).map(bandFile)].join(' ')}`;
      if (free.length >= missing.length && example !== null) {
        advice =
          `${scene.fileName}: ${described}. Map ${them} with --bands ${missing.map((key) => `${key}=N`).join(',')} ` +
          `(1-based band number${several ? 's' : ''}; unmapped: ${free.join(', ')}), e.g. ${example}`;
      } else {
        advice =
          `${scene.fileName} has ${bandCount} band${bandCount === 1 ? '' : 's'} (${described}), none left for ` +
          `${list(missing)}: ${asFiles}` +
          (example !== null ? `; or, if a band description is wrong, map the bands with ${example}` : '');
      }
      break;
    }
  }
  throw new TidemarkError('MISSING_BAND', `${head}. ${advice}`, {
    details: { band: first, bands: missing, descriptions },
  });
}
