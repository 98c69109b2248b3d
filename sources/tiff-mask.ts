import { existsSync } from 'node:fs';
import type { GeoTIFF, GeoTIFFImage } from 'geotiff';
import { isHttpUrl } from './byte-reader.ts';
import { geotiffLib } from './geotiff-lib.ts';
import type { PixelWindow } from './scene-source.ts';
import { numbers } from './tiff-layout.ts';

/**
 * Where the raster's validity mask lives, GDAL-style: an alpha sample (ExtraSamples 1 or 2), an internal
 * mask directory (NewSubfileType bit 2, full size) or an external `<file>.msk`. Zero means masked.
 */
export type MaskSpec =
  | { kind: 'alpha'; sample: number }
  | { kind: 'image'; path: string; index: number }
  | null;

export async function findMask(path: string, tiff: GeoTIFF, image: GeoTIFFImage): Promise<MaskSpec> {
  const fd = image.getFileDirectory();
  const extra = numbers(await fd.loadValue('ExtraSamples'));
  const spp = image.getSamplesPerPixel();
  const alpha = extra.findIndex((v) => v === 1 || v === 2);
  if (alpha >= 0) return { kind: 'alpha', sample: spp - extra.length + alpha };
  const count = await tiff.getImageCount();
  for (let i = 1; i < count; i++) {
    const other = await tiff.getImage(i);
    const subfile = Number(other.getFileDirectory().getValue('NewSubfileType') ?? 0);
    if (
      (subfile & 4) !== 0 &&
      other.getWidth() === image.getWidth() &&
      other.getHeight() === image.getHeight()
    ) {
      return { kind: 'image', path, index: i };
    }
  }
  const external = `${path}.msk`;
  if (!isHttpUrl(path) && existsSync(external)) {
    const msk = await (await geotiffLib()).fromFile(external);
    try {
      const m = await msk.getImage(0);
      if (m.getWidth() === image.getWidth() && m.getHeight() === image.getHeight())
        return { kind: 'image', path: external, index: 0 };
    } finally {
      await msk.close();
    }
  }
  return null;
}

/** A window of a mask image (internal mask directory or external .msk) through geotiff.js: masks are small. */
export async function readMask(
  mask: { path: string; index: number },
  w: PixelWindow,
): Promise<ArrayLike<number>> {
  const { fromFile, fromUrl } = await geotiffLib();
  const tiff = isHttpUrl(mask.path)
    ? await fromUrl(mask.path, { allowFullFile: false })
    : await fromFile(mask.path);
  try {
    const image = await tiff.getImage(mask.index);
    const rasters = await image.readRasters({ window: [w.x0, w.y0, w.x1, w.y1], samples: [0] });
    return (rasters as unknown as ArrayLike<number>[])[0]!;
  } finally {
    await tiff.close();
  }
}
