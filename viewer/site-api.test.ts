import { describe, expect, it } from 'vitest';
import { parseSiteDetail, parseSiteList } from './site-api.ts';

// Shapes as GET /api/sites and /api/sites/{slug} serve them (api/routes/sites.ts): only what is read.
const site = {
  slug: 'ca-mau',
  name: 'Ca Mau',
  epsg: 32648,
  years: [2020, 2016, 2018],
  bbox: [104.74, 8.63, 104.75, 8.68],
  links: { self: '/api/sites/ca-mau' },
};
const analysis = {
  analysisId: 1,
  dateFirst: '2016-03-05',
  dateLast: '2025-03-04',
  transectCount: 109,
  transectsWithRate: 109,
  erodingKm: 4.2,
  accretingKm: 1.25,
  stableKm: 0,
  meanLrrMPerYr: -8.68,
  worstLrrMPerYr: -42.51,
  worstTransectId: 17,
  newShorelineCount: 2,
};

describe('parseSiteList / parseSiteDetail', () => {
  it('reads sites with their years ascending and the analysis summary', () => {
    const input = { sites: [site] };
    const copy = structuredClone(input);
    const [parsed] = parseSiteList(input);
    expect(parsed).toEqual({ slug: 'ca-mau', name: 'Ca Mau', years: [2016, 2018, 2020], bbox: site.bbox });
    expect(input).toEqual(copy);
    const detail = parseSiteDetail({ ...site, analysis });
    expect(detail.analysis).toMatchObject({
      erodingKm: 4.2,
      meanLrrMPerYr: -8.68,
      worstTransectId: 17,
      newShorelineCount: 2,
    });
    // Not known (an analysis that did not record its inputs, or an older server).
    expect(
      parseSiteDetail({ ...site, analysis: { ...analysis, newShorelineCount: null } }).analysis,
    ).toMatchObject({
      newShorelineCount: null,
    });
    const { newShorelineCount: _, ...older } = analysis;
    expect(parseSiteDetail({ ...site, analysis: older }).analysis!.newShorelineCount).toBeNull();
    expect(parseSiteDetail({ ...site, analysis: null }).analysis).toBeNull();
    expect(parseSiteDetail({ ...site, bbox: null, years: [] })).toMatchObject({ bbox: null, years: [] });
  });

  it.each([
    ['a list without sites', { items: [] }, 'no sites array'],
    ['a site without a slug', { sites: [{ ...site, slug: undefined }] }, 'slug is missing'],
    ['a short bbox', { sites: [{ ...site, bbox: [1, 2, 3] }] }, 'bbox'],
    ['an inverted bbox', { sites: [{ ...site, bbox: [105, 8, 104, 9] }] }, 'inverted'],
    ['fractional years', { sites: [{ ...site, years: [2016.5] }] }, 'years'],
    ['a string as name', { sites: [{ ...site, name: 3 }] }, 'name is not a string'],
  ])('rejects %s', (_label, json, message) => {
    expect(() => parseSiteList(json)).toThrow(message);
  });

  it('rejects an analysis with a non-numeric rate or count', () => {
    expect(() => parseSiteDetail({ ...site, analysis: { ...analysis, meanLrrMPerYr: '-8' } })).toThrow(
      'meanLrrMPerYr is not a number',
    );
    expect(() => parseSiteDetail({ ...site, analysis: { ...analysis, newShorelineCount: '2' } })).toThrow(
      'newShorelineCount is not a number',
    );
  });
});
