import { getChangeTile } from '../../store/tiles/change-tile.ts';
import { getLayerExtent } from '../../store/tiles/layer-extent.ts';
import { CHANGE_LAYER } from '../../store/tiles/vector-layers.ts';
import { parseSiteYearFilter, type SiteYearFilter, siteYearFilterToQueryString } from '../query-params.ts';
import { defineTileLayer } from '../tile-layer.ts';
import { narrowYears } from './narrow-years.ts';
import { siteDataVersion } from './site-data-version.ts';

/** Erosion and accretion polygons, filterable by site and by the years their periods lie within. */
export const changeLayer = defineTileLayer<SiteYearFilter>({
  id: CHANGE_LAYER.id,
  name: 'Tidemark shoreline change',
  description: CHANGE_LAYER.description,
  minzoom: CHANGE_LAYER.minzoom,
  maxzoom: CHANGE_LAYER.maxzoom,
  fields: { ...CHANGE_LAYER.fields },
  parseQuery: parseSiteYearFilter,
  toQueryString: siteYearFilterToQueryString,
  getTile: (db, coords, filter) => getChangeTile(db, { ...coords, ...filter }),
  getExtent: async (db, filter) => narrowYears(await getLayerExtent(db, 'change', filter.site), filter),
  dataVersion: (db, filter) => siteDataVersion(db, filter.site),
});
