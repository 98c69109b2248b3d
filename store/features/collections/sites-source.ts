import { equals, type FeatureSource } from '../feature-source.ts';

// Per site, the span and envelope of its shorelines (a site without an area of interest is drawn as that
// envelope). Few sites exist, so the aggregate per site is cheap.
const SITE_SHORELINES = `sites s LEFT JOIN LATERAL (
  SELECT min(sh.date) AS date_first, max(sh.date) AS date_last, count(*)::integer AS shoreline_count,
         ST_SetSRID(ST_Envelope(ST_Extent(sh.geom)::geometry), 4326) AS envelope
  FROM shorelines sh WHERE sh.site_id = s.id
) o ON true`;

/** The monitored sites. */
export const sitesSource: FeatureSource = {
  info: {
    id: 'sites',
    title: 'Sites',
    description:
      'Monitored coastal sites: their area of interest, or the envelope of their shorelines when none ' +
      'is set, with the span of their shoreline series.',
    geometryType: 'Geometry',
    properties: {
      slug: { type: 'string', description: 'Site slug (used as `site` in the other collections)' },
      name: { type: 'string', description: 'Site name' },
      epsg: { type: 'integer', description: 'Metric CRS every length, distance and area is measured in' },
      shoreline_proxy: { type: 'string', description: 'Shoreline proxy: waterline or vegetation' },
      shoreline_count: { type: 'integer', description: 'Number of stored shorelines' },
      date_first: { type: 'string', format: 'date', description: 'Date of the first shoreline' },
      date_last: { type: 'string', format: 'date', description: 'Date of the last shoreline' },
    },
    queryables: {
      slug: {
        type: 'string',
        description: 'Site slug',
        pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
        maxLength: 63,
      },
      shoreline_proxy: { type: 'string', description: 'Shoreline proxy', enum: ['waterline', 'vegetation'] },
    },
    temporalDescription: 'the span of the site shoreline dates',
  },
  sql: {
    from: SITE_SHORELINES,
    fid: 's.id',
    geom: 'COALESCE(s.aoi::geometry, o.envelope)',
    select: {
      slug: 's.slug',
      name: 's.name',
      epsg: 's.epsg',
      shoreline_proxy: 's.shoreline_proxy',
      shoreline_count: 'o.shoreline_count',
      date_first: 'o.date_first',
      date_last: 'o.date_last',
    },
    temporal: { start: 'o.date_first', end: 'o.date_last', type: 'date' },
    filters: {
      slug: equals('s.slug'),
      shoreline_proxy: equals('s.shoreline_proxy'),
    },
  },
};
