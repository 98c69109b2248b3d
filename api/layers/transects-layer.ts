import { getLayerExtent } from '../../store/tiles/layer-extent.ts';
import { getTransectTile } from '../../store/tiles/transect-tile.ts';
import { TRANSECTS_LAYER } from '../../store/tiles/vector-layers.ts';
import { defineTileLayer } from '../tile-layer.ts';
import { siteDataVersion } from './site-data-version.ts';
import { parseSiteFilter, type SiteFilter, siteFilterToQueryString } from './site-filter.ts';

/** Transects with their DSAS statistics, filterable by site. */
export const transectsLayer = defineTileLayer<SiteFilter>({
  id: TRANSECTS_LAYER.id,
  name: 'Tidemark transects',
  description: TRANSECTS_LAYER.description,
  minzoom: TRANSECTS_LAYER.minzoom,
  maxzoom: TRANSECTS_LAYER.maxzoom,
  fields: { ...TRANSECTS_LAYER.fields },
  parseQuery: parseSiteFilter,
  toQueryString: siteFilterToQueryString,
  getTile: (db, coords, filter) => getTransectTile(db, { ...coords, ...filter }),
  getExtent: (db, filter) => getLayerExtent(db, 'transects', filter.site),
  dataVersion: (db, filter) => siteDataVersion(db, filter.site),
});
