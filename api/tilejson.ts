import type { LayerExtent, LngLatBounds, TileLayer } from './tile-layer.ts';

/** Web Mercator's latitude limit: TileJSON's default bounds, and what we announce when a layer has no data. */
const WORLD: LngLatBounds = [-180, -85.0511, 180, 85.0511];

export interface TileJson {
  tilejson: '3.0.0';
  name: string;
  description: string;
  version: string;
  scheme: 'xyz';
  tiles: string[];
  minzoom: number;
  maxzoom: number;
  bounds: LngLatBounds;
  center: [number, number, number];
  vector_layers: Array<{
    id: string;
    description: string;
    minzoom: number;
    maxzoom: number;
    fields: Record<string, string>;
  }>;
  /** Our extension (TileJSON allows extra members): the data's year range, so a client can build its legend. */
  'tidemark:years'?: { min: number; max: number };
}

/**
 * The zoom that fits `bounds` in a 512 px viewport (MapLibre's tile size), clamped to the layer's zoom range.
 * Used for `center`, a hint for clients that do not fit the bounds themselves.
 */
function fittingZoom([w, s, e, n]: LngLatBounds, minzoom: number, maxzoom: number): number {
  const mercY = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
  const spanX = Math.max((e - w) / 360, 1e-9);
  const spanY = Math.max((mercY(n) - mercY(s)) / (2 * Math.PI), 1e-9);
  const zoom = Math.floor(Math.log2(1 / Math.max(spanX, spanY)));
  return Math.min(Math.max(zoom, minzoom), maxzoom);
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

/** TileJSON 3.0.0 for one layer: absolute tile URL(s) carrying the request's filter, data bounds and fields. */
export function buildTileJson(args: {
  layer: TileLayer;
  extent: LayerExtent | null;
  baseUrl: string;
  queryString: string;
}): TileJson {
  const { layer, extent, baseUrl, queryString } = args;
  const bounds = (extent?.bounds ?? WORLD).map(round6) as LngLatBounds;
  const [w, s, e, n] = bounds;
  const json: TileJson = {
    tilejson: '3.0.0',
    name: layer.name,
    description: layer.description,
    version: '1.0.0',
    scheme: 'xyz',
    tiles: [`${baseUrl}/tiles/${layer.id}/{z}/{x}/{y}.mvt${queryString}`],
    minzoom: layer.minzoom,
    maxzoom: layer.maxzoom,
    bounds,
    center: [round6((w + e) / 2), round6((s + n) / 2), fittingZoom(bounds, layer.minzoom, layer.maxzoom)],
    vector_layers: [
      {
        id: layer.id,
        description: layer.description,
        minzoom: layer.minzoom,
        maxzoom: layer.maxzoom,
        fields: { ...layer.fields },
      },
    ],
  };
  if (extent?.years) json['tidemark:years'] = { ...extent.years };
  return json;
}
