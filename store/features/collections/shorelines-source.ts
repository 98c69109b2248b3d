import { equals, type FeatureSource, SITE_QUERYABLE } from '../feature-source.ts';

/** Every stored shoreline: one feature per stored line of a scene (or imported file), dated. */
export const shorelinesSource: FeatureSource = {
  info: {
    id: 'shorelines',
    title: 'Shorelines',
    description:
      'Shorelines extracted from satellite scenes (MNDWI, Otsu threshold, sub-pixel contour, sea-connected ' +
      'water only), one feature per stored line, dated by the scene acquisition.',
    geometryType: 'MultiLineString',
    properties: {
      site: { type: 'string', description: 'Site slug' },
      scene_id: { type: 'integer', description: 'Scene the line was extracted from (null: imported)' },
      date: { type: 'string', format: 'date', description: 'Acquisition date (UTC)' },
      year: { type: 'integer', description: 'Year of the acquisition date' },
      proxy: { type: 'string', description: 'Shoreline proxy: waterline or vegetation' },
      length_m: { type: 'number', description: "Length in metres, measured in the site's metric CRS" },
      uncertainty_m: { type: 'number', description: 'Positional uncertainty in metres (null: unknown)' },
    },
    queryables: {
      site: SITE_QUERYABLE,
      year: { type: 'integer', description: 'Year of the acquisition date', minimum: 1900, maximum: 2200 },
      proxy: { type: 'string', description: 'Shoreline proxy', enum: ['waterline', 'vegetation'] },
      scene_id: { type: 'integer', description: 'Scene id', minimum: 1, maximum: 2147483647 },
    },
    temporalDescription: 'the acquisition date',
  },
  sql: {
    from: 'shorelines sh JOIN sites s ON s.id = sh.site_id',
    fid: 'sh.id',
    geom: 'sh.geom',
    select: {
      site: 's.slug',
      scene_id: 'sh.scene_id',
      date: 'sh.date',
      year: 'extract(year FROM sh.date)::integer',
      proxy: 'sh.proxy',
      length_m: 'sh.length_m',
      uncertainty_m: 'sh.uncertainty_m',
    },
    temporal: { start: 'sh.date', end: 'sh.date', type: 'date' },
    filters: {
      site: equals('s.slug'),
      // A date range rather than extract(year …) = ?, so the (site_id, date) index applies.
      year: (year) => ({
        sql: 'sh.date BETWEEN ?::date AND ?::date',
        bindings: [`${year}-01-01`, `${year}-12-31`],
      }),
      proxy: equals('sh.proxy'),
      scene_id: equals('sh.scene_id'),
    },
  },
};
