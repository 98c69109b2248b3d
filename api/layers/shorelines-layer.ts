import { TidemarkError } from '../../common/errors.ts';
import { getDataExtent } from '../../store/shorelines.ts';
import { getDataVersion } from '../../store/sites.ts';
import { getShorelineTile } from '../../store/tiles/shoreline-tile.ts';
import { SHORELINES_LAYER } from '../../store/tiles/vector-layers.ts';
import { parseSiteYearFilter, type SiteYearFilter, siteYearFilterToQueryString } from '../query-params.ts';
import { defineTileLayer } from '../tile-layer.ts';

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
  getExtent: async (db, filter) => {
    const extent = await getDataExtent(db, filter.site);
    if (extent === null) return null;
    // The legend covers the years asked for, within the years stored.
    const min = Math.max(extent.years.min, filter.fromYear ?? extent.years.min);
    const max = Math.min(extent.years.max, filter.toYear ?? extent.years.max);
    return min <= max ? { bounds: extent.bounds, years: { min, max } } : { bounds: extent.bounds };
  },
  dataVersion: async (db, filter) => {
    const version = await getDataVersion(db.knex, filter.site);
    if (version === null) throw new TidemarkError('NOT_FOUND', `Unknown site '${filter.site}'`);
    return version;
  },
});
