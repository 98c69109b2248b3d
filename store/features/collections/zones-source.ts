import { equals, type FeatureSource, SITE_QUERYABLE } from '../feature-source.ts';

// The zone's latest risk assessment, if any (one row per zone and analysis).
const LATEST_ASSESSMENT = `LEFT JOIN LATERAL (
  SELECT za.risk_class, za.distance_to_shoreline_m, za.years_to_impact
  FROM zone_assessments za WHERE za.zone_id = z.id
  ORDER BY za.assessed_at DESC, za.id DESC LIMIT 1
) r ON true`;

/** Aquaculture zones with their latest risk assessment. */
export const zonesSource: FeatureSource = {
  info: {
    id: 'zones',
    title: 'Aquaculture zones',
    description:
      'Aquaculture zones (shrimp ponds, farms) of each site, with their latest erosion risk assessment. ' +
      'A zone exists from its creation on.',
    geometryType: 'MultiPolygon',
    properties: {
      site: { type: 'string', description: 'Site slug' },
      name: { type: 'string', description: 'Zone name' },
      external_id: { type: 'string', description: 'Id of the zone in the source it was imported from' },
      farm_type: { type: 'string', description: 'Kind of farm' },
      area_m2: { type: 'number', description: 'Area in m²' },
      attributes: { type: 'object', description: 'Attributes imported with the zone' },
      risk_class: { type: 'string', description: 'Latest assessed risk class (null: not assessed)' },
      distance_to_shoreline_m: { type: 'number', description: 'Distance to the latest shoreline (m)' },
      years_to_impact: { type: 'number', description: 'Years until the forecast shoreline reaches it' },
      created_at: { type: 'string', format: 'date-time', description: 'When the zone was created' },
      updated_at: { type: 'string', format: 'date-time', description: 'When the zone was last changed' },
    },
    queryables: {
      site: SITE_QUERYABLE,
      farm_type: { type: 'string', description: 'Kind of farm', maxLength: 200 },
      risk_class: { type: 'string', description: 'Latest assessed risk class', maxLength: 200 },
    },
    temporalDescription: 'the interval from the creation of the zone on (open end)',
  },
  sql: {
    from: `aquaculture_zones z JOIN sites s ON s.id = z.site_id ${LATEST_ASSESSMENT}`,
    fid: 'z.id',
    geom: 'z.geom',
    select: {
      site: 's.slug',
      name: 'z.name',
      external_id: 'z.external_id',
      farm_type: 'z.farm_type',
      area_m2: 'z.area_m2',
      attributes: 'z.properties',
      risk_class: 'r.risk_class',
      distance_to_shoreline_m: 'r.distance_to_shoreline_m',
      years_to_impact: 'r.years_to_impact',
      created_at: 'z.created_at',
      updated_at: 'z.updated_at',
    },
    temporal: { start: 'z.created_at', end: null, type: 'timestamptz' },
    filters: {
      site: equals('s.slug'),
      farm_type: equals('z.farm_type'),
      risk_class: equals('r.risk_class'),
    },
  },
};
