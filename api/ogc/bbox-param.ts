import type { Bbox } from '../../store/features/feature-filter-sql.ts';
import { accepted, type Parsed, refused } from './parsed-param.ts';

// A plain decimal or exponent number; Number() alone would also take '', ' 1', '0x10' and 'Infinity'.
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * `bbox=west,south,east,north` in CRS84 degrees (OGC API Features §7.15.3). west > east is a box across the
 * antimeridian. The 6-number 3D form is refused: our features have no heights.
 */
export function parseBboxParam(raw: string): Parsed<Bbox> {
  const parts = raw.split(',');
  if (parts.length === 6) return refused('3D bounding boxes (6 numbers) are not supported; give 4 numbers');
  if (parts.length !== 4) return refused('must be 4 comma-separated numbers: west,south,east,north');
  if (!parts.every((p) => NUMBER.test(p.trim()))) return refused('must be 4 comma-separated numbers');
  const [west, south, east, north] = parts.map((p) => Number(p.trim())) as [number, number, number, number];
  if (![west, south, east, north].every(Number.isFinite)) return refused('numbers must be finite');
  if (west < -180 || west > 180 || east < -180 || east > 180) {
    return refused('longitudes must be within -180..180 (CRS84 degrees)');
  }
  if (south < -90 || south > 90 || north < -90 || north > 90) {
    return refused('latitudes must be within -90..90 (CRS84 degrees)');
  }
  if (south > north) return refused('south must not be greater than north');
  return accepted({ west, south, east, north });
}
