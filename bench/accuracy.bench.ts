/**
 * `npm run bench:accuracy`: how close our shorelines are to the exact truth of fixture scenes (1024×1024
 * and up, with inland ponds) at 0 %, 3 % and 6 % noise. Prints, per noise level, over all its scenes:
 * the RMSE of the true line against ours (m) and its p95, completeness (share of the truth within 1 px of
 * our line) and the false share (share of our line farther than 3 px from the truth). When GDAL is
 * installed, the GDAL way (gdal_calc.py MNDWI + gdal_contour at 0) is measured alongside for reference.
 *
 * Then the mud-coast figures (issue 7, `bench/mud-coast.bench.ts`): raw, vegetation-edge and tide-corrected
 * waterline rates against the true rate on a mudflat series (about 40 s more; BENCH_MUD_COAST=0 skips it).
 *
 * Environment: BENCH_SIZE (default 1024), BENCH_SCENES per noise level (default 3).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSceneFile } from '../fixtures/generate-scene.ts';
import { lonLatToUtm } from '../fixtures/utm-projection.ts';
import { type Box, type Line, lineAccuracy } from '../pipeline/line-accuracy.ts';
import { extractScene } from '../services/extract-scene.ts';
import { createExtractPool } from '../workers/extract-pool.ts';
import { runMudCoastBench } from './mud-coast.bench.ts';

const SIZE = Math.max(1024, Number(process.env.BENCH_SIZE ?? 1024));
const SCENES = Math.max(1, Number(process.env.BENCH_SCENES ?? 3));
const NOISE_LEVELS = [0, 0.03, 0.06];
const PIXEL_M = 10;
const METRIC = { stepM: 1, nearM: PIXEL_M, farM: 3 * PIXEL_M };

interface Pooled {
  squares: number;
  matched: number;
  distances: number[];
  truthNear: number;
  truthSamples: number;
  ourFar: number;
  ourSamples: number;
}

function empty(): Pooled {
  return { squares: 0, matched: 0, distances: [], truthNear: 0, truthSamples: 0, ourFar: 0, ourSamples: 0 };
}

/** Adds one scene's figures: per-sample sums, so pooled figures weight every metre of coast alike. */
function add(pool: Pooled, truth: Line[], ours: Line[], box: Box): void {
  const a = lineAccuracy(truth, ours, { ...METRIC, box });
  // lineAccuracy reports shares; turn them back into counts to pool scenes of different lengths.
  const matched = Math.round(a.truthSamples * a.completeness);
  pool.truthNear += matched;
  pool.truthSamples += a.truthSamples;
  pool.ourFar += Math.round(a.falseShare * a.ourSamples);
  pool.ourSamples += a.ourSamples;
  if (Number.isFinite(a.rmseM)) {
    pool.squares += a.rmseM * a.rmseM * a.truthSamples;
    pool.matched += a.truthSamples;
    pool.distances.push(a.p95M);
  }
}

function summary(name: string, p: Pooled): string {
  const rmse = Math.sqrt(p.squares / p.matched);
  const p95 = p.distances.length ? Math.max(...p.distances) : Number.NaN;
  return (
    `${name.padEnd(30)} RMSE ${rmse.toFixed(3).padStart(6)} m  p95 ${p95.toFixed(3).padStart(6)} m  ` +
    `completeness ${((100 * p.truthNear) / p.truthSamples).toFixed(2).padStart(6)} %  ` +
    `false ${((100 * p.ourFar) / p.ourSamples).toFixed(2).padStart(6)} %`
  );
}

function box(geoTransform: number[], width: number, height: number): Box {
  const [ox, px, , oy, , py] = geoTransform as [number, number, number, number, number, number];
  // Only where a line can be extracted at all: inside the outermost pixel centres.
  return {
    minX: ox + px / 2,
    maxX: ox + (width - 0.5) * px,
    minY: oy + (height - 0.5) * py,
    maxY: oy + py / 2,
  };
}

function gdalLines(scene: string, work: string): Line[] | null {
  const mndwi = join(work, 'mndwi.tif');
  const out = join(work, 'contour.geojson');
  rmSync(out, { force: true });
  const calc = spawnSync(
    'gdal_calc.py',
    [
      '--quiet',
      '-A',
      scene,
      '--A_band=1',
      '-B',
      scene,
      '--B_band=3',
      '--calc=(A.astype(numpy.float32)-B)/(A.astype(numpy.float32)+B)',
      '--type=Float32',
      `--outfile=${mndwi}`,
      '--overwrite',
    ],
    { encoding: 'utf8' },
  );
  if (calc.status !== 0) return null;
  const contour = spawnSync('gdal_contour', ['-q', '-f', 'GeoJSON', '-fl', '0', mndwi, out], {
    encoding: 'utf8',
  });
  if (contour.status !== 0) return null;
  const fc = JSON.parse(readFileSync(out, 'utf8')) as {
    features: { geometry: { coordinates: number[][] } }[];
  };
  return fc.features.map((f) => f.geometry.coordinates.map((p) => [p[0]!, p[1]!] as [number, number]));
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'tidemark-accuracy-'));
  const pool = createExtractPool();
  const haveGdal = ['gdal_calc.py', 'gdal_contour'].every((cmd) => !spawnSync(cmd, ['--version']).error);
  const lines = [
    `scenes: ${SCENES} per noise level, ${SIZE}×${SIZE} px of 10 m, Ca Mau-like coast with aquaculture ponds`,
    `metrics: truth sampled every ${METRIC.stepM} m; completeness = truth within ${METRIC.nearM} m (1 px); false = our line beyond ${METRIC.farM} m (3 px)`,
    '',
  ];
  try {
    for (const noise of NOISE_LEVELS) {
      const ours = empty();
      const gdal = empty();
      for (let k = 0; k < SCENES; k++) {
        const path = join(work, `scene-${noise}-${k}.tif`);
        const truth = writeSceneFile({ sizePx: SIZE, year: 2017 + 3 * k, seed: 101 + k, noise }, path);
        const truthLines = truth.truthUtm.map((l) => l.map((p) => [p[0]!, p[1]!] as [number, number]));
        const result = await extractScene(path, {}, { pool });
        const ourLines = result.shorelines.features.map((f) =>
          (f.geometry.coordinates as number[][]).map((p) => lonLatToUtm(p)),
        );
        const b = box(result.scene.geoTransform, result.scene.width, result.scene.height);
        add(ours, truthLines, ourLines, b);
        if (haveGdal) {
          const g = gdalLines(path, work);
          if (g) add(gdal, truthLines, g, b);
        }
      }
      lines.push(summary(`tidemark, noise ${(noise * 100).toFixed(0)} %`, ours));
      if (haveGdal && gdal.truthSamples > 0)
        lines.push(summary(`  GDAL way, noise ${(noise * 100).toFixed(0)} %`, gdal));
    }
    lines.push('', 'target at 3 % noise: RMSE ≤ 0.6 m (0.06 px), completeness ≥ 99 %, false share ≤ 1 %');
    lines.push('(p95 is the largest per-scene p95 of the truth-to-line distance)');
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await pool.destroy();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();

if (process.env.BENCH_MUD_COAST !== '0') {
  const mud = await runMudCoastBench();
  process.stdout.write(`\n${mud.lines.join('\n')}\n`);
  if (!mud.pass) process.exitCode = 1;
}
