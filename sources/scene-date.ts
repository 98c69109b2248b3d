import { TidemarkError } from '../common/errors.ts';

/** Dataset metadata items that hold the acquisition time, most specific first (GDAL, S2, Landsat, STAC). */
export const DATE_METADATA_KEYS = [
  'ACQUISITION_DATE',
  'ACQUISITION_DATETIME',
  'DATATAKE_1_DATATAKE_SENSING_START',
  'SENSING_TIME',
  'SENSING_DATE',
  'PRODUCT_START_TIME',
  'DATE_ACQUIRED',
  'DATETIME',
  'datetime',
] as const;

const DATE_RE =
  /^(\d{4})[-:](\d{2})[-:](\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Parses an acquisition date or date-time (ISO 8601, or the TIFF "YYYY:MM:DD HH:MM:SS" form) into ISO 8601:
 * "YYYY-MM-DD" for a date, "YYYY-MM-DDTHH:MM:SSZ" for a date-time (UTC when no offset is given, as for
 * satellite metadata). Returns null for anything else, including impossible dates like 2021-02-30.
 */
export function parseSceneDate(text: string): string | null {
  // TIFF ASCII values end in a NUL, which some readers hand on (and trim() keeps).
  const m = DATE_RE.exec(text.replace(/\0+$/, '').trim());
  if (!m) return null;
  const [, y, mo, d, hh, mm, ss, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day)
    return null;
  if (hh === undefined) return `${y}-${mo}-${d}`;
  if (Number(hh) > 23 || Number(mm) > 59 || Number(ss ?? 0) > 59) return null;
  const offset =
    zone === undefined || zone === 'Z'
      ? 'Z'
      : zone.includes(':')
        ? zone
        : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const iso = `${y}-${mo}-${d}T${hh}:${mm}:${ss ?? '00'}${frac ?? ''}${offset}`;
  if (Number.isNaN(Date.parse(iso))) return null;
  return offset === 'Z' ? iso : new Date(iso).toISOString().replace('.000Z', 'Z');
}

/** The `--date` flag: a calendar date or date-time, else INVALID_INPUT. */
export function parseDateFlag(text: string): string {
  const parsed = parseSceneDate(text);
  if (!parsed) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `--date "${text}" is not a valid date: use YYYY-MM-DD (e.g. 2021-05-27)`,
    );
  }
  return parsed;
}

/** Acquisition date from dataset metadata, falling back to the TIFF DateTime tag; null when none parses. */
export function sceneDateFromMetadata(
  dataset: Record<string, string>,
  tiffDateTime: string | null,
): string | null {
  for (const key of DATE_METADATA_KEYS) {
    const value = dataset[key];
    if (value === undefined) continue;
    const parsed = parseSceneDate(value);
    if (parsed) return parsed;
  }
  return tiffDateTime ? parseSceneDate(tiffDateTime) : null;
}
