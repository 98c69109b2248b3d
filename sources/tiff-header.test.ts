import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TidemarkError } from '../common/errors.ts';
import { makeBadTiff } from '../fixtures/bad/make-bad-tiff.ts';
import { firstIfdEntries, readTagNumbers } from '../fixtures/bad/tiff-patch.ts';
import { openGeoTiffSource } from './geotiff-source.ts';

const dir = mkdtempSync(join(tmpdir(), 'tidemark-tiff-header-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SCENE = fileURLToPath(new URL('../fixtures/scenes/ca-mau-2016.tif', import.meta.url));

async function openFailure(name: string, bytes: Uint8Array): Promise<TidemarkError> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  try {
    await (await openGeoTiffSource(path)).close();
  } catch (err) {
    expect(err, String(err)).toBeInstanceOf(TidemarkError);
    return err as TidemarkError;
  }
  throw new Error(`expected ${name} to be rejected`);
}

describe('a file cut short in its header area is reported as truncated, with the byte counts', () => {
  it('regression: cuts into the tag values gave "16-bit format-0 samples", "degenerate geotransform", "no GeoKeys"', async () => {
    const bytes = new Uint8Array(readFileSync(SCENE));
    const entries = [...firstIfdEntries(bytes).values()];
    const firstTile = Math.min(...readTagNumbers(bytes, 324));
    const ifdEnd = Math.max(...entries.map((e) => e.entryOffset + 12));
    // Every cut from the end of the header to the first tile: into the IFD, then into each tag's values.
    for (let length = 8; length < firstTile; length += 4) {
      const err = await openFailure(`cut-${length}.tif`, bytes.slice(0, length));
      expect(err.code, `${length} bytes: ${err.message}`).toBe('TRUNCATED_FILE');
      expect(err.message).toMatch(new RegExp(`^cut-${length}\\.tif is truncated: `));
      expect(err.message).toContain(`${length} bytes`);
      if (length > ifdEnd + 4) {
        const cut = entries.find((e) => e.valueOffset < length && e.valueOffset >= ifdEnd && e.count > 0);
        expect(cut, `${length} bytes`).toBeDefined();
        expect(err.message).toMatch(
          /the \w+ \(tag \d+\) values of its TIFF directory lie at bytes \d+–\d+ but the file has only \d+ bytes$/,
        );
      }
    }
  });

  it('names the tag whose values are cut: truncated-tag-values ends inside the GeoKeyDirectory', async () => {
    const bytes = makeBadTiff('truncated-tag-values');
    const err = await openFailure('geokeys-cut.tif', bytes);
    expect(err.code).toBe('TRUNCATED_FILE');
    const at = firstIfdEntries(makeBadTiff('truncated')).get(34735)!.valueOffset;
    expect(err.message).toBe(
      `geokeys-cut.tif is truncated: the GeoKeyDirectory (tag 34735) values of its TIFF directory lie at bytes ` +
        `${at}–${at + 32} but the file has only ${bytes.length} bytes`,
    );
  });

  it('says where the directory itself is cut', async () => {
    const err = await openFailure('ifd-cut.tif', makeBadTiff('truncated-header'));
    expect(err.code).toBe('TRUNCATED_FILE');
    expect(err.message).toMatch(
      /^ifd-cut\.tif is truncated: its first image directory takes bytes 8–\d+ but the file has only 64 bytes$/,
    );
  });
});

describe('tags it never reads', () => {
  it('are not checked: a private tag whose values lie past the end does not make the file truncated', async () => {
    const bytes = new Uint8Array(readFileSync(SCENE));
    const metadata = firstIfdEntries(bytes).get(42112);
    expect(metadata && metadata.count > 4).toBe(true);
    // GDAL_METADATA becomes private tag 42100 (the entries stay sorted), its values past the end of the file.
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    view.setUint16(metadata!.entryOffset, 42100, true);
    view.setUint32(metadata!.entryOffset + 8, bytes.length + 1000, true);
    const path = join(dir, 'private-tag-past-end.tif');
    writeFileSync(path, bytes);
    const source = await openGeoTiffSource(path);
    expect(source.info.width).toBeGreaterThan(0);
    await source.close();
  });
});
