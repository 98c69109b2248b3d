import { TidemarkError } from '../common/errors.ts';
import { utmEpsgForLonLat } from '../pipeline/dsas/metric-crs.ts';
import { crsScaleAt } from '../store/crs-scale.ts';
import type { Queryable } from '../store/queryable.ts';

/**
 * How far a site's CRS may scale distances where its data lie: 1 %. Within it, a projected CRS used a little
 * outside its zone (a neighbouring UTM zone, a national grid) is still fine for rates of tens of metres a
 * year; beyond it, lengths, areas and rates measured in it are wrong by as much.
 */
export const MAX_CRS_SCALE_ERROR = 0.01;

/** West, south, east, north in EPSG:4326. */
export type LonLatBox = readonly [number, number, number, number];

/**
 * The bounding box of GeoJSON features' coordinates (EPSG:4326), or null when they have none. (Turf's bbox
 * does the same, but importing @turf/turf would add about 170 ms to every ingest's start-up.)
 */
export function lonLatBoxOf(
  features: readonly { geometry: { coordinates?: unknown } | null }[],
): LonLatBox | null {
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (c: unknown): void => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number' && typeof c[1] === 'number') {
      box[0] = Math.min(box[0]!, c[0]);
      box[1] = Math.min(box[1]!, c[1]);
      box[2] = Math.max(box[2]!, c[0]);
      box[3] = Math.max(box[3]!, c[1]);
    } else for (const inner of c) visit(inner);
  };
  for (const f of features) visit(f.geometry?.coordinates);
  return Number.isFinite(box[0]) ? (box as unknown as LonLatBox) : null;
}

/**
 * Refuses data a site's CRS cannot measure: where, at any corner or the centre of `box`, the CRS scales
 * distances by more than MAX_CRS_SCALE_ERROR (e.g. a site created with another coast's UTM zone, or the
 * default one). INVALID_INPUT naming the CRS, the distortion, the place and the UTM zone to use instead.
 */
export async function assertSiteCrsFits(
  db: Queryable,
  site: { slug: string; epsg: number },
  box: LonLatBox,
  what: string,
): Promise<void> {
  const [w, s, e, n] = box;
  const centre: [number, number] = [(w + e) / 2, (s + n) / 2];
  const points: [number, number][] = [centre, [w, s], [e, s], [e, n], [w, n]];
  const scales = await crsScaleAt(db, site.epsg, points);
  const worst = scales
    ?.map((p) => ({ ...p, error: Math.max(Math.abs(p.east - 1), Math.abs(p.north - 1)) }))
    .reduce((a, b) => (Number.isNaN(b.error) || b.error > a.error ? b : a));
  const fits = worst !== undefined && Number.isFinite(worst.error) && worst.error <= MAX_CRS_SCALE_ERROR;
  if (fits) return;
  const [lon, lat] = worst ? [worst.lon, worst.lat] : centre;
  const where = `${Math.abs(lon).toFixed(2)}°${lon < 0 ? 'W' : 'E'} ${Math.abs(lat).toFixed(2)}°${lat < 0 ? 'S' : 'N'}`;
  const distortion =
    worst && Number.isFinite(worst.error)
      ? `distorts distances by ${(worst.error * 100).toPrecision(3)} % at ${where}`
      : `cannot project ${where}`;
  const utm = utmEpsgForLonLat(centre[0], centre[1]);
  throw new TidemarkError(
    'INVALID_INPUT',
    `${what}: EPSG:${site.epsg}, the CRS of site ${site.slug}, ${distortion} (at most ${MAX_CRS_SCALE_ERROR * 100} % ` +
      'is allowed), so lengths, areas and rates measured in it would be wrong. Use a site whose CRS is made for ' +
      `this coast, e.g. \`tidemark site create <slug> --epsg ${utm}\` (UTM zone ${utm % 100}${centre[1] < 0 ? 'S' : 'N'})`,
  );
}
