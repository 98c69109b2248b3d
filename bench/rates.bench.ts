/**
 * `npm run bench:rates`: 10,000 transects × 40 shorelines, timing intersections + statistics + forecasts
 * (`computeRates`, index build included). Target ≤ 2 s wall time on the 2-core machine.
 *
 * The scene is synthetic and deterministic (seeded): a 500 km coast, curved and rotated so nothing lines up
 * with the grid axes, with a vertex every 10 m, 40 yearly shorelines whose true rate varies along the coast
 * (−2…+2 m/yr) plus 3 m of positional noise. A transect every 50 m, 2000 m long. Sizes can be changed
 * with TRANSECTS=… SHORELINES=… for a quick run.
 */
import { performance } from 'node:perf_hooks';
import { castTransects } from '../pipeline/dsas/cast-transects.ts';
import { computeRates } from '../pipeline/dsas/compute-rates.ts';
import type { DatedShoreline, XY } from '../pipeline/dsas/types.ts';

const TRANSECTS = Number(process.env.TRANSECTS ?? 10_000);
const SHORELINES = Number(process.env.SHORELINES ?? 40);
const SPACING_M = 50;
const VERTEX_STEP_M = 10;
const ANGLE = (30 * Math.PI) / 180;
const lengthM = TRANSECTS * SPACING_M;

let seed = 20240611;
function random(): number {
  seed = (seed * 48271) % 2147483647;
  return seed / 2147483647;
}
function gaussian(): number {
  return Math.sqrt(-2 * Math.log(random() + 1e-300)) * Math.cos(2 * Math.PI * random());
}

/** Coast shape in local coordinates (u along shore, v seaward), rotated and shifted into UTM-like metres. */
function place(u: number, v: number): XY {
  const y = v + 400 * Math.sin(u / 7000) + 150 * Math.sin(u / 1900);
  return [
    500_000 + u * Math.cos(ANGLE) - y * Math.sin(ANGLE),
    900_000 + u * Math.sin(ANGLE) + y * Math.cos(ANGLE),
  ];
}
const trueRate = (u: number) => 2 * Math.sin(u / 20_000);

const tBuild = performance.now();
const baseline: XY[] = [];
for (let u = 0; u <= lengthM; u += 100) baseline.push(place(u, -800));
const shorelines: DatedShoreline[] = [];
for (let k = 0; k < SHORELINES; k++) {
  const yearDecimal = 1985 + k + 0.25 + 0.5 * random();
  const coordinates: XY[] = [];
  for (let u = -500; u <= lengthM + 500; u += VERTEX_STEP_M) {
    coordinates.push(place(u, trueRate(u) * (yearDecimal - 2000) + 3 * gaussian()));
  }
  shorelines.push({ date: yearDecimal.toFixed(3), yearDecimal, pieces: [{ coordinates, uncertaintyM: 10 }] });
}
const buildMs = performance.now() - tBuild;

const tCast = performance.now();
const transects = castTransects([baseline], { spacingM: SPACING_M, lengthM: 2000, seaSide: 'left' }).slice(
  0,
  TRANSECTS,
);
const castMs = performance.now() - tCast;

const runs: number[] = [];
let results: ReturnType<typeof computeRates> = [];
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  results = computeRates(shorelines, transects);
  runs.push(performance.now() - t0);
}
runs.sort((a, b) => a - b);

// Sanity: the recovered LRR against the true rate at each transect's origin (noise-limited, not a target).
const errors: number[] = [];
let forecasts = 0;
results.forEach((r, i) => {
  if (r.forecast) forecasts++;
  if (r.stats.lrr) errors.push(Math.abs(r.stats.lrr.rateMPerYr - trueRate(i * SPACING_M + SPACING_M / 2)));
});
errors.sort((a, b) => a - b);
const segments = shorelines.reduce((n, s) => n + s.pieces[0]!.coordinates.length - 1, 0);

const median = runs[1]!;
console.log(
  `rates benchmark: ${transects.length} transects × ${SHORELINES} shorelines (${segments} segments)`,
);
console.log(`  scene generation          ${buildMs.toFixed(0)} ms (not timed)`);
console.log(`  transect casting          ${castMs.toFixed(0)} ms`);
console.log(
  `  intersections+stats+forecasts: ${runs.map((x) => x.toFixed(0)).join(' / ')} ms → median ${median.toFixed(0)} ms`,
);
console.log(`  transects with LRR ${errors.length}, with forecast ${forecasts}`);
console.log(
  `  |LRR − true rate|: median ${errors[errors.length >> 1]?.toFixed(3)} m/yr, p95 ${errors[Math.floor(errors.length * 0.95)]?.toFixed(3)} m/yr (3 m noise)`,
);
console.log(`WALL TIME ${(median / 1000).toFixed(3)} s (target ≤ 2 s): ${median <= 2000 ? 'PASS' : 'FAIL'}`);
