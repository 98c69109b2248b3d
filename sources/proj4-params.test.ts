import { describe, expect, it } from 'vitest';
import { formatProj4, param, parseProj4, withoutParams, withParam } from './proj4-params.ts';

describe('proj4 parameters', () => {
  it('parses, edits and formats a definition, keeping +no_defs last', () => {
    const { params, stray } = parseProj4('+proj=utm +zone=48 +no_defs +ellps=WGS84');
    expect(stray).toEqual([]);
    expect(param(params, 'zone')).toBe('48');
    const edited = withParam(withoutParams(params, 'ellps'), 'towgs84', '1,2,3');
    expect(formatProj4(edited)).toBe('+proj=utm +zone=48 +towgs84=1,2,3 +no_defs');
    expect(params).toHaveLength(4); // input unchanged
  });

  it('sets aside what is not a parameter (geotiff-geokeys-to-proj4 leaves a bare prime meridian)', () => {
    const { params, stray } = parseProj4('+proj=longlat +ellps=evrst30 2.337229169999998 +no_defs');
    expect(stray).toEqual(['2.337229169999998']);
    expect(formatProj4(params)).toBe('+proj=longlat +ellps=evrst30 +no_defs');
  });
});
