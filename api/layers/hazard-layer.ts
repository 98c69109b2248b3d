import { getHazardTile } from '../../store/tiles/hazard-tile.ts';
import { getLayerExtent } from '../../store/tiles/layer-extent.ts';
import { HAZARD_LAYER } from '../../store/tiles/vector-layers.ts';
import { defineTileLayer } from '../tile-layer.ts';
import { siteDataVersion } from './site-data-version.ts';
import { parseSiteFilter, type SiteFilter, siteFilterToQueryString } from './site-filter.ts';

/** Hazard zones per forecast horizon, filterable by site. */
export const hazardLayer = defineTileLayer<SiteFilter>({
  id: HAZARD_LAYER.id,
  name: 'Tidemark hazard zones',
  description: HAZARD_LAYER.description,
  minzoom: HAZARD_LAYER.minzoom,
  maxzoom: HAZARD_LAYER.maxzoom,
  fields: { ...HAZARD_LAYER.fields },
  parseQuery: parseSiteFilter,
  toQueryString: siteFilterToQueryString,
  getTile: (db, coords, filter) => getHazardTile(db, { ...coords, ...filter }),
  getExtent: (db, filter) => getLayerExtent(db, 'hazard', filter.site),
  dataVersion: (db, filter) => siteDataVersion(db, filter.site),
});
