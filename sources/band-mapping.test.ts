import { describe, expect, it } from 'vitest';
import { TidemarkError } from '../common/errors.ts';
import { bandKeyFromDescription, parseBandsFlag, requireBands, resolveBandMap } from './band-mapping.ts';

describe('bandKeyFromDescription', () => {
  it.each([
    ['B03', 'green'],
    ['B3', 'green'],
    ['B08', 'nir'],
    ['B11', 'swir16'],
    ['B12', 'swir22'],
    ['B11_swir1_1610nm', 'swir16'],
    ['B3_green_560nm', 'green'],
    ['SR_B3', 'green'],
    ['SR_B5', 'nir'],
    ['SR_B6', 'swir16'],
    ['sr_b7', 'swir22'],
    ['green', 'green'],
    ['NIR', 'nir'],
    ['swir16', 'swir16'],
    // Red: the vegetation-edge proxy's NDVI (issue 7).
    ['B04', 'red'],
    ['B4_red_665nm', 'red'],
    ['SR_B4', 'red'],
    ['red', 'red'],
  ])('reads %s as %s', (description, key) => {
    expect(bandKeyFromDescription(description)).toBe(key);
  });

  it.each(['B8A', 'B05', 'SR_B2', 'blue', '', 'Band 1'])('maps %s to nothing', (description) => {
    expect(bandKeyFromDescription(description)).toBeNull();
  });
});

describe('parseBandsFlag', () => {
  it('parses 1-based band numbers', () => {
    expect(parseBandsFlag('green=3, nir=8,swir16=11')).toEqual({ green: 3, nir: 8, swir16: 11 });
    expect(parseBandsFlag('red=4')).toEqual({ red: 4 });
  });

  it.each([
    ['', /empty/],
    ['green', /KEY=N/],
    ['green=', /KEY=N/],
    ['blue=3', /unknown band "blue"/],
    ['green=0', /whole number ≥ 1/],
    ['green=2.5', /whole number ≥ 1/],
    ['green=-1', /whole number ≥ 1/],
    ['green=x', /whole number ≥ 1/],
    ['green=1,green=2', /twice/],
  ])('rejects %j', (text, message) => {
    expect(() => parseBandsFlag(text)).toThrow(message);
    expect(() => parseBandsFlag(text)).toThrow(TidemarkError);
  });
});

describe('resolveBandMap', () => {
  it('lets explicit numbers win over descriptions', () => {
    expect(resolveBandMap(['B03', 'B08', 'B11'], 3, { green: 2 })).toEqual({ green: 2, nir: 2, swir16: 3 });
  });

  it('rejects a band number beyond the band count', () => {
    expect(() => resolveBandMap(['B03'], 1, { swir16: 4 })).toThrow(/scene has 1 band/);
  });

  it('takes the first band with a matching description', () => {
    expect(resolveBandMap(['B03', 'B03'], 2)).toEqual({ green: 1 });
  });
});

describe('requireBands', () => {
  it('names the missing band, what it is, and how to map it', () => {
    try {
      requireBands({ green: 1 }, ['green', 'swir16'], ['B03', 'B08'], 'MNDWI');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(TidemarkError);
      const e = err as TidemarkError;
      expect(e.code).toBe('MISSING_BAND');
      expect(e.message).toMatch(/swir16/);
      expect(e.message).toMatch(/B11/);
      expect(e.message).toMatch(/--bands swir16=N/);
      expect(e.message).toMatch(/1="B03", 2="B08"/);
    }
  });

  it('names the red band when the vegetation proxy lacks it', () => {
    const map = resolveBandMap(['B03', 'B08', 'B11'], 3);
    expect(() =>
      requireBands(
        map,
        ['green', 'red', 'nir', 'swir16'],
        ['B03', 'B08', 'B11'],
        'the vegetation-edge proxy',
      ),
    ).toThrow(
      /missing band red, red \(Sentinel-2 B04, Landsat 8\/9 SR_B4\), needed for the vegetation-edge proxy/,
    );
    expect(resolveBandMap(['B03', 'B04', 'B08', 'B11'], 4)).toEqual({ green: 1, red: 2, nir: 3, swir16: 4 });
  });

  it('gives an example that maps the missing band, not only the bands already there (AWEI without swir22)', () => {
    const map = resolveBandMap(['B03', 'B08', 'B11'], 3);
    expect(() =>
      requireBands(map, ['green', 'nir', 'swir16', 'swir22'], ['B03', 'B08', 'B11'], 'the AWEI water index'),
    ).toThrow(
      /Map it with --bands swir22=N \(1-based band number\), e.g\. --bands green=1,nir=2,swir16=3,swir22=4$/,
    );
    expect(() =>
      requireBands(
        map,
        ['green', 'red', 'nir', 'swir16'],
        ['B03', 'B08', 'B11'],
        'the vegetation-edge proxy',
      ),
    ).toThrow(
      /Map it with --bands red=N \(1-based band number\), e.g\. --bands green=1,red=2,nir=3,swir16=4$/,
    );
  });

  it('names every missing band at once', () => {
    try {
      requireBands({ green: 1 }, ['green', 'nir', 'swir16', 'swir22'], ['B03'], 'AWEI');
      expect.unreachable();
    } catch (err) {
      const e = err as TidemarkError;
      expect(e.code).toBe('MISSING_BAND');
      expect(e.message).toBe(
        'missing bands nir, near infrared (Sentinel-2 B08, Landsat 8/9 SR_B5); swir16, SWIR 1.6 µm (Sentinel-2 B11, ' +
          'Landsat 8/9 SR_B6); swir22, SWIR 2.2 µm (Sentinel-2 B12, Landsat 8/9 SR_B7), needed for AWEI: band ' +
          'descriptions are 1="B03". Map them with --bands nir=N,swir16=N,swir22=N (1-based band numbers), ' +
          'e.g. --bands green=1,nir=2,swir16=3,swir22=4',
      );
      expect(e.details).toEqual({ band: 'nir', bands: ['nir', 'swir16', 'swir22'], descriptions: ['B03'] });
    }
  });

  it('passes when every band is mapped', () => {
    expect(() => requireBands({ green: 1, swir16: 2 }, ['green', 'swir16'], [], 'MNDWI')).not.toThrow();
  });
});
