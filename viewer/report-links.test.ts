import { describe, expect, it } from 'vitest';
import { reportFormatsFromOpenApi, reportPath } from './report-links.ts';

describe('reportFormatsFromOpenApi', () => {
  it('finds the report formats the API declares with a GET', () => {
    const doc = {
      openapi: '3.0.3',
      paths: {
        '/api/sites/{slug}': { get: {} },
        '/api/sites/{slug}/report.pdf': { get: {} },
        '/api/sites/{slug}/report.csv': { get: {} },
        '/api/sites/{slug}/report.geojson': { post: {} },
        '/api/sites/{slug}/report.docx': { get: {} },
      },
    };
    const copy = structuredClone(doc);
    expect([...reportFormatsFromOpenApi(doc)].sort()).toEqual(['csv', 'pdf']);
    expect(doc).toEqual(copy);
  });

  it.each([
    ['no document', null],
    ['a string', 'openapi'],
    ['no paths', { openapi: '3.0.3' }],
    ['paths not an object', { paths: 'x' }],
    [
      'today’s API (no report paths)',
      { paths: { '/api/sites': { get: {} }, '/api/sites/{slug}': { get: {} } } },
    ],
  ])('finds none in %s', (_label, doc) => {
    expect(reportFormatsFromOpenApi(doc).size).toBe(0);
  });
});

describe('reportPath', () => {
  it('is relative to the page and encodes the slug', () => {
    expect(reportPath('ca-mau', 'pdf')).toBe('api/sites/ca-mau/report.pdf');
    expect(reportPath('a/b', 'csv')).toBe('api/sites/a%2Fb/report.csv');
  });
});
