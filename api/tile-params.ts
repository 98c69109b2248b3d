import { z } from 'zod';
import { validate } from './validate.ts';

/** Deepest zoom we serve; beyond it MapLibre overzooms the z22 tile. */
export const MAX_TILE_ZOOM = 22;

export interface TileCoords {
  z: number;
  x: number;
  y: number;
}

// Digits only: "1e3", "0x10", " 7" and "3.0" are all rejected rather than coerced, so one tile has one URL.
const digits = z.string().regex(/^\d{1,10}$/, 'must be a non-negative integer');

const tileCoordsSchema = z
  .object({
    z: digits.transform(Number).pipe(z.number().max(MAX_TILE_ZOOM, `must be at most ${MAX_TILE_ZOOM}`)),
    x: digits.transform(Number),
    y: digits.transform(Number),
  })
  .superRefine((c, ctx) => {
    const size = 2 ** c.z;
    if (c.x >= size) ctx.addIssue({ code: 'custom', path: ['x'], message: `must be below 2^z = ${size}` });
    if (c.y >= size) ctx.addIssue({ code: 'custom', path: ['y'], message: `must be below 2^z = ${size}` });
  });

/** The value of a string of 1–10 ASCII digits (the schema's `digits`), else -1. */
function digitsValue(s: string | undefined): number {
  if (s === undefined || s.length === 0 || s.length > 10) return -1;
  let value = 0;
  for (let i = 0; i < s.length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/**
 * Validates the {z}/{x}/{y} path parameters of a tile URL (400 problem+json on anything out of range). Valid
 * coordinates are checked by hand, which costs far less than the schema on every tile request; anything else
 * goes through the schema, which accepts exactly the same and words the error.
 */
export function parseTileCoords(params: { z?: string; x?: string; y?: string }): TileCoords {
  const z = digitsValue(params.z);
  if (z >= 0 && z <= MAX_TILE_ZOOM) {
    const size = 2 ** z;
    const x = digitsValue(params.x);
    const y = digitsValue(params.y);
    if (x >= 0 && x < size && y >= 0 && y < size) return { z, x, y };
  }
  return validate(tileCoordsSchema, { z: params.z, x: params.x, y: params.y }, 'tile coordinates');
}
