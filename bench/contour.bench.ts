/**
 * Our marching-squares kernel against d3-contour on the same synthetic coast field: run time per
 * megapixel and how far each line lies from the exact coast (both on a smooth edge with mixed pixels).
 * Run with `npx tsx bench/contour.bench.ts` (BENCH_SIZE, default 2048).
 */
import { contours } from 'd3-contour';
import { CLASS_LAND, CLASS_WATER, marchingSquares } from '../pipeline/marching-squares.ts';
import { stitchSegments } from '../pipeline/stitch-segments.ts';

const SIZE = Number(process.env.BENCH_SIZE ?? 2048);
const RUNS = 5;

/** The coast x (pixel-centre coordinates) at row y: water west of it. */
const coastX = (y: number) => SIZE / 2 + (SIZE / 8) * Math.sin(y / 97) + 7 * Math.sin(y / 13);

/** Water fraction of each pixel (supersampled 8×8) minus ½: the field whose 0-level is the coast. */
function field(): Float32Array {
  const out = new Float32Array(SIZE * SIZE);
  const n = 8;
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      // Far from the coast the pixel is pure: skip the supersampling.
      const c = coastX(y);
      if (x < c - 12) {
        out[y * SIZE + x] = 0.5;
        continue;
      }
      if (x > c + 12) {
        out[y * SIZE + x] = -0.5;
        continue;
      }
      let inside = 0;
      for (let j = 0; j < n; j++) {
        for (let i = 0; i < n; i++) if (x - 0.5 + (i + 0.5) / n < coastX(y - 0.5 + (j + 0.5) / n)) inside++;
      }
      out[y * SIZE + x] = inside / (n * n) - 0.5;
    }
  }
  return out;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** RMS horizontal distance (px) from line vertices to the exact coast, over rows away from the edges. */
function rmsError(points: Iterable<[number, number]>): number {
  let sum = 0;
  let count = 0;
  for (const [x, y] of points) {
    // d3 also traces the grid border around the water: only points near the coast count.
    if (y < 2 || y > SIZE - 3 || x < 1 || x > SIZE - 2) continue;
    sum += (x - coastX(y)) ** 2;
    count++;
  }
  return Math.sqrt(sum / count);
}

const values = field();
const classes = new Uint8Array(values.length);
for (let i = 0; i < values.length; i++) classes[i] = values[i]! > 0 ? CLASS_WATER : CLASS_LAND;
const labels = new Int32Array(values.length);
const grid = {
  width: SIZE,
  height: SIZE,
  classes,
  field: { fieldAt: (i: number) => values[i]! },
  labels,
  originX: 0,
  originY: 0,
};
const cells = { x0: 0, y0: 0, x1: SIZE - 1, y1: SIZE - 1 };

const oursMs: number[] = [];
let ourPoints: [number, number][] = [];
for (let r = 0; r < RUNS; r++) {
  const t0 = performance.now();
  const lines = stitchSegments([marchingSquares(grid, cells, SIZE)]);
  oursMs.push(performance.now() - t0);
  ourPoints = lines.flatMap((l) =>
    Array.from(
      { length: l.coords.length / 2 },
      (_, k) => [l.coords[2 * k]!, l.coords[2 * k + 1]!] as [number, number],
    ),
  );
}

const d3Ms: number[] = [];
let d3Points: [number, number][] = [];
const d3Values = Array.from(values);
for (let r = 0; r < RUNS; r++) {
  const t0 = performance.now();
  const [isoline] = contours().size([SIZE, SIZE]).smooth(true).thresholds([0])(d3Values);
  d3Ms.push(performance.now() - t0);
  // d3 puts pixel (i, j) at [i, j]–[i+1, j+1] corners; shift by ½ to pixel-centre coordinates.
  d3Points = (isoline?.coordinates ?? []).flat(2).map(([x, y]) => [x! - 0.5, y! - 0.5] as [number, number]);
}

const mpx = (SIZE * SIZE) / 1e6;
const row = (name: string, ms: number[], pts: [number, number][]) =>
  `${name.padEnd(24)} ${median(ms).toFixed(1).padStart(8)} ms  ${(mpx / (median(ms) / 1000)).toFixed(1).padStart(7)} Mpx/s  ` +
  `RMS error ${rmsError(pts).toFixed(4)} px (linear interpolation on the mixed-pixel field)`;
process.stdout.write(
  `${SIZE}×${SIZE} field, one coast, medians of ${RUNS} runs\n` +
    `${row('tidemark marchingSquares', oursMs, ourPoints)}\n${row('d3-contour (smooth)', d3Ms, d3Points)}\n`,
);
