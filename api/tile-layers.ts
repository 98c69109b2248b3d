import { shorelinesLayer } from './layers/shorelines-layer.ts';
import type { TileLayer } from './tile-layer.ts';

/** Every layer served under /tiles, by id. A new layer is one file in layers/ and one entry here. */
export function createTileLayers(): ReadonlyMap<string, TileLayer> {
  return new Map([shorelinesLayer].map((layer) => [layer.id, layer]));
}
