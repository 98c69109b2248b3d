import { describe, expect, it } from 'vitest';
import { parseZoneDetail, zoneRiskFromTile } from './zone-api.ts';

describe('zones', () => {
  it('reads the risk from tile attributes, treating dropped (null) attributes as unknown', () => {
    const props = {
      id: 3,
      name: 'Pond 3',
      risk_class: 'high',
      distance_to_shoreline_m: 50,
      years_to_impact: 1,
    };
    const copy = { ...props };
    expect(zoneRiskFromTile(props)).toEqual({
      id: 3,
      name: 'Pond 3',
      farmType: null,
      areaM2: null,
      riskClass: 'high',
      distanceToShorelineM: 50,
      yearsToImpact: 1,
    });
    expect(props).toEqual(copy);
    expect(zoneRiskFromTile({ id: 4 }).riskClass).toBeNull();
  });

  it.each([
    ['no id', {}],
    ['a fractional id', { id: 1.5 }],
    ['a string id', { id: '3' }],
  ])('rejects a zone feature with %s', (_label, props) => {
    expect(() => zoneRiskFromTile(props)).toThrow('no integer id');
  });

  it('reads a zone from the REST API', () => {
    const json = {
      type: 'Feature',
      id: 1,
      geometry: null,
      properties: {
        site: 'ca-mau',
        name: 'Pond 1',
        kind: 'intensive shrimp',
        externalId: 'pond-1',
        areaM2: 34312.1,
      },
    };
    expect(parseZoneDetail(json)).toEqual({
      id: 1,
      site: 'ca-mau',
      name: 'Pond 1',
      kind: 'intensive shrimp',
      externalId: 'pond-1',
      areaM2: 34312.1,
    });
    expect(() => parseZoneDetail({ ...json, properties: undefined })).toThrow(
      'zone.properties is not an object',
    );
  });
});
