import { TidemarkError } from '../../common/errors.ts';

export interface TileCoords {
  z: number;
  x: number;
  y: number;
}

/** Highest zoom served; ST_TileEnvelope and the 4096-unit grid stay well within double precision here. */
export const MAX_TILE_ZOOM = 24;

/** Half the side of the EPSG:3857 square world, in metres. */
export const WEB_MERCATOR_HALF_M = 20037508.342789244;

/** Throws INVALID_INPUT unless z, x, y are integers with 0 ≤ z ≤ MAX_TILE_ZOOM and 0 ≤ x, y < 2^z. */
export function validateTileCoords(tile: TileCoords): void {
  const { z, x, y } = tile;
  if (!Number.isInteger(z) || z < 0 || z > MAX_TILE_ZOOM) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `invalid tile zoom ${String(z)}: expected an integer from 0 to ${MAX_TILE_ZOOM}`,
    );
  }
  const n = 2 ** z;
  for (const [name, v] of [
    ['x', x],
    ['y', y],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v >= n) {
      throw new TidemarkError(
        'INVALID_INPUT',
        `invalid tile ${name} ${String(v)} at zoom ${z}: expected an integer from 0 to ${n - 1}`,
      );
    }
  }
}

/** The tile's square in EPSG:3857 metres: [minX, minY, maxX, maxY] (same as ST_TileEnvelope). */
export function tileBounds3857(tile: TileCoords): [number, number, number, number] {
  const size = (2 * WEB_MERCATOR_HALF_M) / 2 ** tile.z;
  const minX = -WEB_MERCATOR_HALF_M + tile.x * size;
  const maxY = WEB_MERCATOR_HALF_M - tile.y * size;
  return [minX, maxY - size, minX + size, maxY];
}

/** Side of one tile unit in metres at zoom z (the resolution geometry is snapped to). */
export function tileUnitM(z: number, extent: number): number {
  return (2 * WEB_MERCATOR_HALF_M) / 2 ** z / extent;
}
