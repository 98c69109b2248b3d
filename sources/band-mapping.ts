import { TidemarkError } from '../common/errors.ts';
import { BAND_KEYS, type BandKey } from './scene-source.ts';

const BAND_LABEL: Record<BandKey, string> = {
  green: 'green (Sentinel-2 B03, Landsat 8/9 SR_B3)',
  red: 'red (Sentinel-2 B04, Landsat 8/9 SR_B4)',
  nir: 'near infrared (Sentinel-2 B08, Landsat 8/9 SR_B5)',
  swir16: 'SWIR 1.6 µm (Sentinel-2 B11, Landsat 8/9 SR_B6)',
  swir22: 'SWIR 2.2 µm (Sentinel-2 B12, Landsat 8/9 SR_B7)',
  scl: 'scene classification (Sentinel-2 SCL)',
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

/**
 * Throws MISSING_BAND naming every needed band that is not mapped, and how to map it: the example maps all
 * the needed bands, the missing ones included.
 */
export function requireBands(
  bandMap: Partial<Record<BandKey, number>>,
  needed: readonly BandKey[],
  descriptions: readonly string[],
  purpose: string,
): void {
  const missing = needed.filter((key) => bandMap[key] === undefined);
  const first = missing[0];
  if (first === undefined) return;
  const described = descriptions.some((d) => d.length > 0)
    ? `band descriptions are ${descriptions.map((d, i) => `${i + 1}="${d}"`).join(', ')}`
    : `the ${descriptions.length} band${descriptions.length === 1 ? ' has' : 's have'} no descriptions`;
  const several = missing.length > 1;
  throw new TidemarkError(
    'MISSING_BAND',
    `missing band${several ? 's' : ''} ${missing.map((key) => `${key}, ${BAND_LABEL[key]}`).join('; ')}, ` +
      `needed for ${purpose}: ${described}. ` +
      `Map ${several ? 'them' : 'it'} with --bands ${missing.map((key) => `${key}=N`).join(',')} ` +
      `(1-based band number${several ? 's' : ''}), e.g. --bands ${needed.map((key, i) => `${key}=${i + 1}`).join(',')}`,
    { details: { band: first, bands: missing, descriptions } },
  );
}
