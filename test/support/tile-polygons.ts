import { featureCollection, intersect, kinks, multiPolygon, polygon } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';

type Ring = [number, number][];

/** Shoelace area in tile coordinates (y down): MVT exteriors are positive, holes negative. */
export function signedRingArea(ring: readonly [number, number][]): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const a = ring[i]!;
    const b = ring[i + 1]!;
    sum += a[0] * b[1] - b[0] * a[1];
  }
  return sum / 2;
}

const closed = (ring: Ring): Ring => {
  const first = ring[0]!;
  const last = ring[ring.length - 1]!;
  return first[0] === last[0] && first[1] === last[1] ? ring : [...ring, first];
};

/**
 * A decoded MVT polygon feature's rings grouped the way MVT 2.1 defines them: each exterior (positive area)
 * starts a polygon, the holes (negative) that follow belong to it. Throws if a hole comes first.
 */
export function polygonsOf(rings: readonly Ring[]): Ring[][] {
  const out: Ring[][] = [];
  for (const ring of rings) {
    const r = closed(ring);
    if (signedRingArea(r) > 0) out.push([r]);
    else if (out.length > 0) out[out.length - 1]!.push(r);
    else throw new Error('an MVT polygon starts with a hole (wrong winding)');
  }
  return out;
}

/** Area in square tile units: exteriors minus holes. */
export function polygonArea(polygons: readonly Ring[][]): number {
  return polygons.reduce(
    (sum, p) => sum + p.reduce((s, r, i) => s + (i === 0 ? 1 : -1) * Math.abs(signedRingArea(r)), 0),
    0,
  );
}

function perimeter(polygons: readonly Ring[][]): number {
  let length = 0;
  for (const p of polygons)
    for (const r of p)
      for (let i = 0; i + 1 < r.length; i++)
        length += Math.hypot(r[i + 1]![0] - r[i]![0], r[i + 1]![1] - r[i]![1]);
  return length;
}

/**
 * How far apart two polygon features' outlines are on average, in tile units: the area covered by one but
 * not the other, divided by their mean perimeter. Two encoders that round a vertex or a cut point
 * differently (≤ 1 unit) score below 1; a missing part or hole scores its width.
 */
export function meanBoundaryOffset(a: readonly Ring[], b: readonly Ring[]): number {
  const pa = polygonsOf(a);
  const pb = polygonsOf(b);
  const common = intersect(featureCollection<Polygon | MultiPolygon>([multiPolygon(pa), multiPolygon(pb)]));
  const geometry = common?.geometry;
  const shared =
    geometry === undefined
      ? 0
      : polygonArea(
          (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as Ring[][],
        );
  const exclusive = polygonArea(pa) + polygonArea(pb) - 2 * shared;
  return exclusive / ((perimeter(pa) + perimeter(pb)) / 2);
}

/** Self-intersections within each polygon of a decoded feature (none for a valid MVT polygon). */
export function polygonKinks(rings: readonly Ring[]): number {
  return polygonsOf(rings).reduce((n, p) => n + kinks(polygon(p)).features.length, 0);
}
