import type { TransectResult } from './compute-rates.ts';
import { cleanPolygons, type MultiPolygonXY, type PolygonXY } from './polygon-ops.ts';
import type { Transect, XY } from './types.ts';

/** Per-site forecast geometry for one horizon, in the metric CRS. */
export interface ForecastZones {
  readonly horizonYr: number;
  /** The forecast shoreline: one line per run of neighbouring transects that all have a forecast. */
  readonly lines: XY[][];
  /** The ±1σ uncertainty band around those lines (valid polygons). */
  readonly band: MultiPolygonXY;
  /**
   * The hazard zone: land between the latest shoreline and the landward edge of the band (forecast − 1σ),
   * where that edge lies landward of the latest shoreline (valid polygons; empty where the coast advances).
   */
  readonly hazard: MultiPolygonXY;
}

const pointAt = (t: Transect, s: number): XY => [t.origin[0] + t.dir[0] * s, t.origin[1] + t.dir[1] * s];

/**
 * Builds the forecast line, band and hazard zone for `horizonYr` from per-transect forecasts. Neighbouring
 * transects (consecutive ids on the same baseline part) are joined; a transect without a forecast breaks
 * the line. Positions between transects are linear, as DSAS draws them.
 */
export function forecastZones(results: readonly TransectResult[], horizonYr: number): ForecastZones {
  const lines: XY[][] = [];
  const bands: PolygonXY[] = [];
  const hazards: PolygonXY[] = [];
  for (const run of runsOf(results, horizonYr)) {
    lines.push(run.map((r) => pointAt(r.result.transect, r.positionM)));
    const upper = run.map((r) => pointAt(r.result.transect, r.positionM + r.sigmaM));
    const lower = run.map((r) => pointAt(r.result.transect, r.positionM - r.sigmaM));
    const band = closedRing([...upper, ...lower.reverse()]);
    if (band) bands.push([band]);
    hazards.push(...hazardPolygons(run));
  }
  return { horizonYr, lines, band: cleanPolygons(bands), hazard: cleanPolygons(hazards) };
}

interface RunItem {
  readonly result: TransectResult;
  readonly positionM: number;
  readonly sigmaM: number;
}

const isNeighbour = (a: Transect | undefined, b: Transect | undefined): boolean =>
  a !== undefined && b !== undefined && a.baselinePart === b.baselinePart && b.id === a.id + 1;

/** Whether segments a–b and c–d cross (ends included; parallel segments never do here). */
function segmentsCross(a: XY, b: XY, c: XY, d: XY): boolean {
  const rx = b[0] - a[0];
  const ry = b[1] - a[1];
  const sx = d[0] - c[0];
  const sy = d[1] - c[1];
  const denom = rx * sy - ry * sx;
  if (denom === 0) return false;
  const t = ((c[0] - a[0]) * sy - (c[1] - a[1]) * sx) / denom;
  const u = ((c[0] - a[0]) * ry - (c[1] - a[1]) * rx) / denom;
  return t >= 0 && t <= 1 && u >= 0 && u <= 1;
}

function runsOf(results: readonly TransectResult[], horizonYr: number): RunItem[][] {
  const forecastOf = (r: TransectResult | undefined) =>
    r?.forecast?.points.find((p) => p.horizonYr === horizonYr);
  // Where a coast is concave, neighbouring transects converge and cross; a forecast beyond that crossing
  // changes places with its neighbour's, and the line through them folds back on itself. Such a forecast
  // cannot be drawn in order along the coast: its transect breaks the line, as one without a forecast does.
  const path = (r: TransectResult): [XY, XY] | null => {
    const p = forecastOf(r);
    return p ? [r.transect.origin, pointAt(r.transect, p.positionM)] : null;
  };
  const overtaken = results.map((r, i) => {
    const mine = path(r);
    if (!mine) return false;
    return [results[i - 1], results[i + 1]].some((other, k) => {
      if (
        !other ||
        !isNeighbour(k === 0 ? other.transect : r.transect, k === 0 ? r.transect : other.transect)
      )
        return false;
      const theirs = path(other);
      return theirs !== null && segmentsCross(mine[0], mine[1], theirs[0], theirs[1]);
    });
  });
  const runs: RunItem[][] = [];
  let run: RunItem[] = [];
  let previous: Transect | undefined;
  for (const [i, result] of results.entries()) {
    const point = overtaken[i] ? undefined : forecastOf(result);
    const t = result.transect;
    const neighbour = isNeighbour(previous, t);
    if (!point || !neighbour) {
      if (run.length >= 2) runs.push(run);
      run = [];
    }
    if (point) run.push({ result, positionM: point.positionM, sigmaM: point.sigmaM });
    previous = t;
  }
  if (run.length >= 2) runs.push(run);
  return runs;
}

/**
 * Hazard polygons of one run: between the latest shoreline crossing d and min(d, forecast − σ) on each
 * transect. Stretches of positive width become one polygon each, tapering to the neighbouring transect
 * where the width is zero so that the outline follows the coast.
 */
function hazardPolygons(run: readonly RunItem[]): PolygonXY[] {
  const seaward: (XY | null)[] = [];
  const landward: (XY | null)[] = [];
  const width: number[] = [];
  for (const item of run) {
    const latest = item.result.observations.at(-1);
    if (!latest) {
      seaward.push(null);
      landward.push(null);
      width.push(0);
      continue;
    }
    const edge = Math.min(latest.distanceM, item.positionM - item.sigmaM);
    seaward.push(pointAt(item.result.transect, latest.distanceM));
    landward.push(pointAt(item.result.transect, edge));
    width.push(latest.distanceM - edge);
  }
  const polygons: PolygonXY[] = [];
  let i = 0;
  while (i < run.length) {
    if (!(width[i]! > 0)) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < run.length && width[j + 1]! > 0) j++;
    // Taper into the zero-width neighbours when they have a shoreline crossing.
    const from = i > 0 && seaward[i - 1] ? i - 1 : i;
    const to = j + 1 < run.length && seaward[j + 1] ? j + 1 : j;
    const sea: XY[] = [];
    const land: XY[] = [];
    for (let k = from; k <= to; k++) {
      sea.push(seaward[k]!);
      land.push(landward[k]!);
    }
    const ring = closedRing([...sea, ...land.reverse()]);
    if (ring) polygons.push([ring]);
    i = j + 1;
  }
  return polygons;
}

/** Drops repeated consecutive points and closes the ring; null when fewer than 3 distinct points remain. */
function closedRing(points: readonly XY[]): XY[] | null {
  const ring: XY[] = [];
  for (const p of points) {
    const last = ring[ring.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) ring.push(p);
  }
  while (ring.length > 1 && ring[0]![0] === ring.at(-1)![0] && ring[0]![1] === ring.at(-1)![1]) ring.pop();
  if (ring.length < 3) return null;
  ring.push(ring[0]!);
  return ring;
}
