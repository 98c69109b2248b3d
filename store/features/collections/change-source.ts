import { equals, type FeatureSource, SITE_QUERYABLE } from '../feature-source.ts';

/** Erosion and accretion polygons of each site's current analysis. */
export const changeSource: FeatureSource = {
  info: {
    id: 'change',
    title: 'Shoreline change',
    description:
      'Land lost (erosion) or gained (accretion) between shoreline dates: between consecutive dates and ' +
      "over the whole series, from each site's current analysis.",
    geometryType: 'MultiPolygon',
    properties: {
      site: { type: 'string', description: 'Site slug' },
      kind: { type: 'string', description: 'erosion or accretion' },
      period_kind: { type: 'string', description: 'consecutive (two successive dates) or total' },
      period_start: { type: 'string', format: 'date', description: 'Earlier shoreline date' },
      period_end: { type: 'string', format: 'date', description: 'Later shoreline date' },
      area_m2: { type: 'number', description: "Area in m², measured in the site's metric CRS" },
    },
    queryables: {
      site: SITE_QUERYABLE,
      kind: { type: 'string', description: 'Kind of change', enum: ['erosion', 'accretion'] },
      period_kind: { type: 'string', description: 'Kind of period', enum: ['consecutive', 'total'] },
    },
    temporalDescription: 'the period from the earlier to the later shoreline date',
  },
  sql: {
    from: 'change_polygons c JOIN sites s ON s.id = c.site_id',
    fid: 'c.id',
    geom: 'c.geom',
    select: {
      site: 's.slug',
      kind: 'c.kind',
      period_kind: 'c.period_kind',
      period_start: 'c.period_start',
      period_end: 'c.period_end',
      area_m2: 'c.area_m2',
    },
    temporal: { start: 'c.period_start', end: 'c.period_end', type: 'date' },
    filters: {
      site: equals('s.slug'),
      kind: equals('c.kind'),
      period_kind: equals('c.period_kind'),
    },
  },
};
