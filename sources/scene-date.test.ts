import { describe, expect, it } from 'vitest';
import { parseDateFlag, parseSceneDate, sceneDateFromMetadata } from './scene-date.ts';

describe('parseSceneDate', () => {
  it.each([
    ['2021-05-27', '2021-05-27'],
    ['2021:05:27 10:11:12', '2021-05-27T10:11:12Z'],
    ['2021-05-27T10:11:12.345Z', '2021-05-27T10:11:12.345Z'],
    ['2021-05-27T10:11:12+07:00', '2021-05-27T03:11:12Z'],
    [' 2020-02-29 ', '2020-02-29'],
  ])('reads %j as %j', (text, iso) => {
    expect(parseSceneDate(text)).toBe(iso);
  });

  it.each(['2021-02-30', '2021-13-01', '27/05/2021', '2021-05-27T25:00:00', 'yesterday', ''])(
    'rejects %j',
    (text) => {
      expect(parseSceneDate(text)).toBeNull();
    },
  );
});

describe('parseDateFlag', () => {
  it('explains a bad --date', () => {
    expect(() => parseDateFlag('2021-02-30')).toThrow(/--date "2021-02-30" is not a valid date/);
  });
});

describe('sceneDateFromMetadata', () => {
  it('prefers acquisition metadata over the TIFF DateTime tag', () => {
    expect(sceneDateFromMetadata({ ACQUISITION_DATE: '2019-03-04' }, '2024:01:01 00:00:00')).toBe(
      '2019-03-04',
    );
    expect(sceneDateFromMetadata({ SENSING_TIME: '2019-03-04T03:21:00.024Z' }, null)).toBe(
      '2019-03-04T03:21:00.024Z',
    );
  });

  it('falls back to the TIFF DateTime tag, and to null', () => {
    expect(sceneDateFromMetadata({ ACQUISITION_DATE: 'junk' }, '2024:01:02 03:04:05')).toBe(
      '2024-01-02T03:04:05Z',
    );
    // As geotiff.js reads the tag from a file GDAL wrote: the TIFF ASCII value with its closing NUL.
    expect(sceneDateFromMetadata({}, '2025:11:30 09:00:00\0')).toBe('2025-11-30T09:00:00Z');
    expect(sceneDateFromMetadata({}, null)).toBeNull();
  });
});
