import { TidemarkError } from '../../common/errors.ts';
import { differencePolygons, type MultiPolygonXY, planarAreaM2 } from './polygon-ops.ts';

/** The land of one date, as valid metric polygons. */
export interface DatedLand {
  readonly date: string;
  readonly yearDecimal: number;
  readonly land: MultiPolygonXY;
}

export interface LandChange {
  /** Land lost: land(before) \ land(after). */
  readonly erosion: MultiPolygonXY;
  /** Land gained: land(after) \ land(before). */
  readonly accretion: MultiPolygonXY;
  /** Planar areas in the metric CRS, m² (as PostGIS ST_Area gives them there). */
  readonly erosionAreaM2: number;
  readonly accretionAreaM2: number;
}

export interface DatedLandChange extends LandChange {
  readonly fromDate: string;
  readonly toDate: string;
  /** 'consecutive' for each pair of successive dates, 'overall' for first → last. */
  readonly span: 'consecutive' | 'overall';
}

/** Erosion and accretion polygons between two land polygons (valid geometries, planar areas). */
export function landChange(before: MultiPolygonXY, after: MultiPolygonXY): LandChange {
  const erosion = differencePolygons(before, after);
  const accretion = differencePolygons(after, before);
  return {
    erosion,
    accretion,
    erosionAreaM2: planarAreaM2(erosion),
    accretionAreaM2: planarAreaM2(accretion),
  };
}

/**
 * Change polygons for each pair of consecutive dates and for first → last (when there are more than two
 * dates; with two, the consecutive pair is the whole span). Lands may come in any order.
 */
export function landChangeSeries(lands: readonly DatedLand[]): DatedLandChange[] {
  if (lands.length < 2) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `change polygons need at least 2 dated lands, got ${lands.length}`,
    );
  }
  const sorted = [...lands].sort((a, b) => a.yearDecimal - b.yearDecimal);
  const out: DatedLandChange[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const a = sorted[i]!;
    const b = sorted[i + 1]!;
    out.push({ fromDate: a.date, toDate: b.date, span: 'consecutive', ...landChange(a.land, b.land) });
  }
  if (sorted.length > 2) {
    const a = sorted[0]!;
    const b = sorted[sorted.length - 1]!;
    out.push({ fromDate: a.date, toDate: b.date, span: 'overall', ...landChange(a.land, b.land) });
  }
  return out;
}
