import { describe, expect, it } from 'vitest';
import { epsgCrs } from './epsg-definitions.ts';

describe('epsgCrs', () => {
  it('reads a projected CRS: its base geographic CRS, ellipsoid and area of use', () => {
    expect(epsgCrs(3405)).toMatchObject({
      code: 3405,
      name: 'VN-2000 / UTM zone 48N',
      kind: 'projected',
      geographicCode: 4756,
      geographicName: 'VN-2000',
      wgs84Ellipsoid: true,
      areaOfUse: { south: 8.33, west: 102.14, north: 23.4, east: 108 },
    });
    expect(epsgCrs(27700)).toMatchObject({ geographicCode: 4277, wgs84Ellipsoid: false });
  });

  it('names the base of a CRS the index records without WKT from its name', () => {
    expect(epsgCrs(27563)).toMatchObject({
      geographicCode: null,
      geographicName: 'NTF (Paris)',
      wgs84Ellipsoid: false,
    });
  });

  it('reads a geographic CRS as its own base', () => {
    expect(epsgCrs(4326)).toMatchObject({ kind: 'geographic', geographicCode: 4326, wgs84Ellipsoid: true });
  });

  it('has nothing for deprecated, unknown, vertical or malformed codes', () => {
    expect(epsgCrs(3410)).toBeNull(); // NSIDC EASE-Grid Global, deprecated
    expect(epsgCrs(1)).toBeNull();
    expect(epsgCrs(5773)).toBeNull(); // EGM96 height
    expect(epsgCrs(-3405)).toBeNull();
    expect(epsgCrs(3405.5)).toBeNull();
  });
});
