import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';

export interface DecodedFeature {
  id: number | undefined;
  /** 1 point, 2 line, 3 polygon. */
  type: number;
  properties: Record<string, string | number | boolean>;
  /** Rings or lines in tile units. */
  geometry: [number, number][][];
}

/** Decodes an MVT with @mapbox/vector-tile: layer name → features, in tile order. */
export function decodeTile(bytes: Uint8Array): Record<string, DecodedFeature[]> {
  const tile = new VectorTile(new PbfReader(bytes));
  const out: Record<string, DecodedFeature[]> = {};
  for (const [name, layer] of Object.entries(tile.layers)) {
    const features: DecodedFeature[] = [];
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i);
      features.push({
        id: f.id,
        type: f.type,
        properties: { ...f.properties },
        geometry: f.loadGeometry().map((ring) => ring.map((p) => [p.x, p.y] as [number, number])),
      });
    }
    out[name] = features;
  }
  return out;
}

/**
 * Symmetric distance in tile units between two line/ring sets: the largest distance from any vertex of one
 * to the nearest segment (or point) of the other. 0 for identical geometry.
 */
export function geometryDistance(a: [number, number][][], b: [number, number][][]): number {
  return Math.max(oneWay(a, b), oneWay(b, a));
}

function oneWay(from: [number, number][][], to: [number, number][][]): number {
  let worst = 0;
  for (const line of from) {
    for (const p of line) {
      let best = Number.POSITIVE_INFINITY;
      for (const other of to) {
        if (other.length === 1) best = Math.min(best, Math.hypot(p[0] - other[0]![0], p[1] - other[0]![1]));
        for (let i = 0; i + 1 < other.length; i++)
          best = Math.min(best, pointSegment(p, other[i]!, other[i + 1]!));
      }
      worst = Math.max(worst, best);
    }
  }
  return worst;
}

function pointSegment(p: [number, number], a: [number, number], b: [number, number]): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

/** The XYZ tile containing a longitude/latitude at zoom z. */
export function tileForLonLat(lon: number, lat: number, z: number): { z: number; x: number; y: number } {
  const n = 2 ** z;
  const latRad = (lat * Math.PI) / 180;
  return {
    z,
    x: Math.floor(((lon + 180) / 360) * n),
    y: Math.floor(((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2) * n),
  };
}
