import { getLayerExtent } from '../../store/tiles/layer-extent.ts';
import { ZONES_LAYER } from '../../store/tiles/vector-layers.ts';
import { getZoneTile } from '../../store/tiles/zone-tile.ts';
import { defineTileLayer } from '../tile-layer.ts';
import { siteDataVersion } from './site-data-version.ts';
import { parseSiteFilter, type SiteFilter, siteFilterToQueryString } from './site-filter.ts';

/** Aquaculture zones with their latest risk class, filterable by site. */
export const zonesLayer = defineTileLayer<SiteFilter>({
  id: ZONES_LAYER.id,
  name: 'Tidemark aquaculture zones',
  description: ZONES_LAYER.description,
  minzoom: ZONES_LAYER.minzoom,
  maxzoom: ZONES_LAYER.maxzoom,
  fields: { ...ZONES_LAYER.fields },
  parseQuery: parseSiteFilter,
  toQueryString: siteFilterToQueryString,
  getTile: (db, coords, filter) => getZoneTile(db, { ...coords, ...filter }),
  getExtent: (db, filter) => getLayerExtent(db, 'zones', filter.site),
  dataVersion: (db, filter) => siteDataVersion(db, filter.site),
});
