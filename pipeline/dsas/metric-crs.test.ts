import { describe, expect, it } from 'vitest';
import { createProjector, epsgOfCrsMember, proj4Definition, utmEpsgForLonLat } from './metric-crs.ts';

describe('metric CRS helpers', () => {
  it('picks the UTM zone of a point', () => {
    expect(utmEpsgForLonLat(105.0, 8.8)).toBe(32648); // Ca Mau
    expect(utmEpsgForLonLat(-0.1, 51.5)).toBe(32630);
    expect(utmEpsgForLonLat(151.2, -33.9)).toBe(32756);
    expect(utmEpsgForLonLat(180, 0)).toBe(32660);
  });

  it('projects to UTM 48N and back', () => {
    const p = createProjector(32648);
    const xy = p.fromLonLat([105, 8.8]);
    expect(xy[0]).toBeCloseTo(500000, 6);
    expect(xy[1]).toBeCloseTo(972740.85, 1);
    const back = p.toLonLat(xy);
    expect(back[0]).toBeCloseTo(105, 10);
    expect(back[1]).toBeCloseTo(8.8, 10);
  });

  it('reads crs members', () => {
    expect(epsgOfCrsMember(undefined, 'f')).toBe(4326);
    expect(epsgOfCrsMember({ type: 'name', properties: { name: 'EPSG:32648' } }, 'f')).toBe(32648);
    expect(epsgOfCrsMember({ type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::3405' } }, 'f')).toBe(
      3405,
    );
    expect(
      epsgOfCrsMember({ type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } }, 'f'),
    ).toBe(4326);
    expect(() => epsgOfCrsMember({ type: 'name' }, 'f.geojson')).toThrow(
      /f.geojson: the 'crs' member has no name/,
    );
    expect(() => epsgOfCrsMember({ type: 'name', properties: { name: 'WGS 84' } }, 'f')).toThrow(
      /cannot read/,
    );
  });

  it('rejects CRSs it cannot define', () => {
    expect(() => proj4Definition(27700)).toThrow(/EPSG:27700 is not supported/);
    expect(() => proj4Definition(32661)).toThrow(/not supported/);
  });
});
