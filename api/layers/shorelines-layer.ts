import { getDataExtent } from '../../store/shorelines.ts';
import { getShorelineTile } from '../../store/tiles/shoreline-tile.ts';
import { SHORELINES_LAYER } from '../../store/tiles/vector-layers.ts';
import { parseSiteYearFilter, type SiteYearFilter, siteYearFilterToQueryString } from '../query-params.ts';
import { defineTileLayer } from '../tile-layer.ts';
import { narrowYears } from './narrow-years.ts';
import { siteDataVersion } from './site-data-version.ts';

/** Dated shorelines, one feature per stored line, filterable by site and year range. */
export const shorelinesLayer = defineTileLayer<SiteYearFilter>({
  id: SHORELINES_LAYER.id,
  name: 'Tidemark shorelines',
  description: SHORELINES_LAYER.description,
  minzoom: SHORELINES_LAYER.minzoom,
  maxzoom: SHORELINES_LAYER.maxzoom,
  fields: { ...SHORELINES_LAYER.fields },
  parseQuery: parseSiteYearFilter,
  toQueryString: siteYearFilterToQueryString,
  getTile: (db, coords, filter) => getShorelineTile(db, { ...coords, ...filter }),
  getExtent: async (db, filter) => narrowYears(await getDataExtent(db, filter.site), filter),
  dataVersion: (db, filter) => siteDataVersion(db, filter.site),
});
