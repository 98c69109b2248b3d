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

/** Validates the {z}/{x}/{y} path parameters of a tile URL (400 problem+json on anything out of range). */
export function parseTileCoords(params: { z?: string; x?: string; y?: string }): TileCoords {
  return validate(tileCoordsSchema, { z: params.z, x: params.x, y: params.y }, 'tile coordinates');
}
