import { getForecastTile } from '../../store/tiles/forecast-tile.ts';
import { getLayerExtent } from '../../store/tiles/layer-extent.ts';
import { FORECASTS_LAYER } from '../../store/tiles/vector-layers.ts';
import { defineTileLayer } from '../tile-layer.ts';
import { siteDataVersion } from './site-data-version.ts';
import { parseSiteFilter, type SiteFilter, siteFilterToQueryString } from './site-filter.ts';

/** Forecast shorelines and their ±1σ bands, filterable by site. */
export const forecastsLayer = defineTileLayer<SiteFilter>({
  id: FORECASTS_LAYER.id,
  name: 'Tidemark shoreline forecasts',
  description: FORECASTS_LAYER.description,
  minzoom: FORECASTS_LAYER.minzoom,
  maxzoom: FORECASTS_LAYER.maxzoom,
  fields: { ...FORECASTS_LAYER.fields },
  parseQuery: parseSiteFilter,
  toQueryString: siteFilterToQueryString,
  getTile: (db, coords, filter) => getForecastTile(db, { ...coords, ...filter }),
  getExtent: (db, filter) => getLayerExtent(db, 'forecasts', filter.site),
  dataVersion: (db, filter) => siteDataVersion(db, filter.site),
});
