import { describe, expect, it } from 'vitest';
import { parseGdalMetadata } from './gdal-metadata.ts';

describe('parseGdalMetadata', () => {
  it('separates dataset items from per-band items keyed by role', () => {
    const xml = `<GDALMetadata>
  <Item name="ACQUISITION_DATE">2021-05-27</Item>
  <Item name="DESCRIPTION" sample="0" role="description">B3_green_560nm</Item>
  <Item name="SCALE" sample="0" role="scale">0.001</Item>
  <Item name="OFFSET" sample="1" role="offset">-0.1</Item>
  <Item name="NOTE" sample="1">hello</Item>
</GDALMetadata>`;
    const m = parseGdalMetadata(xml);
    expect(m.dataset).toEqual({ ACQUISITION_DATE: '2021-05-27' });
    expect(m.bands.get(0)).toEqual({ description: 'B3_green_560nm', scale: '0.001' });
    expect(m.bands.get(1)).toEqual({ offset: '-0.1', NOTE: 'hello' });
  });

  it('unescapes values GDAL escaped twice', () => {
    const m = parseGdalMetadata(
      '<GDALMetadata><Item name="SOURCE">a &amp;amp; b &amp;lt;c&amp;gt;</Item></GDALMetadata>',
    );
    expect(m.dataset.SOURCE).toBe('a & b <c>');
  });

  it('gives empty metadata for a missing tag', () => {
    expect(parseGdalMetadata(undefined)).toEqual({ dataset: {}, bands: new Map() });
  });
});
