import { readFile } from 'node:fs/promises';
import { TidemarkError } from '../common/errors.ts';
import { geotiffLib } from './geotiff-lib.ts';
import { type TideTable, tideAt } from './tide-table.ts';

/** Where a scene's tide came from; the values of scenes.tide_source. */
export type SceneTideSource = 'stac' | 'csv' | 'flag';

export interface SceneTide {
  tideHeightM: number;
  /** The datum heights are relative to (e.g. 'MSL', 'LAT'), when known. */
  tideDatum: string | null;
  tideSource: SceneTideSource;
}

/** Everything that may tell a scene's tide, strongest first: a per-scene flag, a CSV table, the scene's own properties. */
export interface SceneTideInputs {
  /** Names the scene in errors. */
  scene: string;
  /** Acquisition instant (epoch ms), for the table. */
  acquiredAtMs: number | null;
  /** `--tide <m>` given for this scene. */
  flagM?: number;
  flagDatum?: string;
  /** `--tides tides.csv`. */
  table?: TideTable;
  tableDatum?: string;
  /**
   * The scene's own properties: a STAC Item's `properties`, or the GDAL metadata of a GeoTIFF (the fixtures
   * write TIDE_HEIGHT_M and TIDE_DATUM there). Both count as 'stac': a property that travels with the product.
   */
  properties?: Readonly<Record<string, unknown>>;
}

/** Property names read as a tide height in metres, in this order (STAC has no tide extension yet). */
export const TIDE_HEIGHT_PROPERTIES = [
  'tide_height_m',
  'tide:height',
  'tide_height',
  'TIDE_HEIGHT_M',
] as const;
const TIDE_DATUM_PROPERTIES = ['tide_datum', 'tide:datum', 'TIDE_DATUM'] as const;

function invalid(message: string, scene: string): TidemarkError {
  return new TidemarkError('INVALID_INPUT', message, { details: { scene } });
}

/** A height from a property value: a finite number, or a string that is one. Anything else is an error. */
function heightOf(value: unknown, name: string, scene: string): number | null {
  if (value === undefined || value === null || value === '') return null;
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : Number.NaN;
  if (!Number.isFinite(n) || Math.abs(n) > 20) {
    throw invalid(
      `scene ${scene}: property ${name} = ${JSON.stringify(value)} is not a tide height in metres`,
      scene,
    );
  }
  return n;
}

/**
 * The tide of one scene, or null when nothing gives one. A flag beats the table, which beats the scene's own
 * properties: what the user states for this run wins over what came with the data. A malformed flag or
 * property is an error naming the scene, never a silent null.
 */
export function resolveSceneTide(inputs: SceneTideInputs): SceneTide | null {
  const { scene } = inputs;
  if (inputs.flagM !== undefined) {
    if (typeof inputs.flagM !== 'number' || !Number.isFinite(inputs.flagM) || Math.abs(inputs.flagM) > 20) {
      throw invalid(`scene ${scene}: --tide must be a height in metres, got ${String(inputs.flagM)}`, scene);
    }
    return { tideHeightM: inputs.flagM, tideDatum: inputs.flagDatum ?? null, tideSource: 'flag' };
  }
  if (inputs.table && inputs.acquiredAtMs !== null) {
    const h = tideAt(inputs.table, inputs.acquiredAtMs);
    if (h !== null) return { tideHeightM: h, tideDatum: inputs.tableDatum ?? null, tideSource: 'csv' };
  }
  const props = inputs.properties ?? {};
  for (const name of TIDE_HEIGHT_PROPERTIES) {
    const h = heightOf(props[name], name, scene);
    if (h === null) continue;
    const datum = TIDE_DATUM_PROPERTIES.map((d) => props[d]).find((d) => typeof d === 'string' && d !== '');
    return { tideHeightM: h, tideDatum: (datum as string | undefined) ?? null, tideSource: 'stac' };
  }
  return null;
}

/**
 * Tides for every scene of a run that needs them (correction or filter): one error naming every scene
 * without a tide, so nothing runs on part of a series.
 */
export function requireSceneTides(all: readonly SceneTideInputs[], purpose: string): SceneTide[] {
  const out: SceneTide[] = [];
  const missing: string[] = [];
  for (const inputs of all) {
    const tide = resolveSceneTide(inputs);
    if (tide) out.push(tide);
    else missing.push(inputs.scene);
  }
  if (missing.length > 0) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `${purpose} needs a tide for every scene; none for ${missing.length}: ${missing.join(', ')} ` +
        '(give --tides tides.csv, --tide <m>, or a tide_height_m property)',
      { details: { scenesWithoutTide: missing } },
    );
  }
  return out;
}

/**
 * The tide-bearing properties a scene carries itself: a STAC Item's `properties` (for a .json input) or a
 * GeoTIFF's GDAL metadata items. Called after the scene was read successfully, so a read error here is real.
 */
export async function readSceneTideProperties(path: string): Promise<Record<string, unknown>> {
  if (/\.json$/i.test(path)) {
    const item = JSON.parse(await readFile(path, 'utf8')) as { properties?: Record<string, unknown> };
    return item.properties ?? {};
  }
  const tiff = await (await geotiffLib()).fromFile(path);
  try {
    const image = await tiff.getImage();
    return ((await image.getGDALMetadata()) as Record<string, unknown> | null) ?? {};
  } finally {
    tiff.close();
  }
}
