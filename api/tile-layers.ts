import { changeLayer } from './layers/change-layer.ts';
import { forecastsLayer } from './layers/forecasts-layer.ts';
import { hazardLayer } from './layers/hazard-layer.ts';
import { shorelinesLayer } from './layers/shorelines-layer.ts';
import { transectsLayer } from './layers/transects-layer.ts';
import { zonesLayer } from './layers/zones-layer.ts';
import type { TileLayer } from './tile-layer.ts';

/** Every layer served under /tiles, by id. A new layer is one file in layers/ and one entry here. */
export function createTileLayers(): ReadonlyMap<string, TileLayer> {
  return new Map(
    [shorelinesLayer, changeLayer, transectsLayer, forecastsLayer, hazardLayer, zonesLayer].map((layer) => [
      layer.id,
      layer,
    ]),
  );
}
