import { describe, expect, it } from 'vitest';
import {
  CLASS_INVALID,
  CLASS_LAND,
  CLASS_WATER,
  type ContourGrid,
  horizontalEdgeId,
  marchingSquares,
  type SegmentSet,
  verticalEdgeId,
} from './marching-squares.ts';

/** A grid from rows of 'w' (water), 'l' (land), 'x' (invalid); water field +0.5, land −0.5 unless given. */
function grid(rows: string[], field?: number[]): ContourGrid {
  const height = rows.length;
  const width = rows[0]!.length;
  const classes = new Uint8Array(width * height);
  const values = new Float32Array(width * height);
  const labels = new Int32Array(width * height);
  rows.forEach((row, y) => {
    [...row].forEach((c, x) => {
      const i = y * width + x;
      classes[i] = c === 'w' ? CLASS_WATER : c === 'l' ? CLASS_LAND : CLASS_INVALID;
      values[i] = field ? field[i]! : c === 'w' ? 0.5 : -0.5;
      labels[i] = c === 'w' ? 7 : 0;
    });
  });
  return {
    width,
    height,
    classes,
    field: { fieldAt: (i: number) => values[i]! },
    labels,
    originX: 0,
    originY: 0,
  };
}

function allCells(g: ContourGrid) {
  return { x0: 0, y0: 0, x1: g.width - 1, y1: g.height - 1 };
}

/** cross(direction, waterCorner − start) > 0 for every segment: water always on the same side. */
function waterSideHolds(g: ContourGrid, s: SegmentSet): boolean {
  for (let i = 0; i < s.count; i++) {
    const [ax, ay, bx, by] = [
      s.coords[4 * i]!,
      s.coords[4 * i + 1]!,
      s.coords[4 * i + 2]!,
      s.coords[4 * i + 3]!,
    ];
    const cx = Math.floor(Math.min(ax, bx) + 1e-9);
    const cy = Math.floor(Math.min(ay, by) + 1e-9);
    let ok = false;
    for (const [px, py] of [
      [cx, cy],
      [cx + 1, cy],
      [cx, cy + 1],
      [cx + 1, cy + 1],
    ] as const) {
      if (px >= g.width || py >= g.height || g.classes[py * g.width + px] !== CLASS_WATER) continue;
      const cross = (bx - ax) * (py - ay) - (by - ay) * (px - ax);
      if (cross > 0) ok = true;
      else if (cross < 0) return false;
    }
    if (!ok) return false;
  }
  return true;
}

describe('marchingSquares', () => {
  it('rings a single water pixel with four segments meeting at the edge midpoints', () => {
    const g = grid(['lll', 'lwl', 'lll']);
    const s = marchingSquares(g, allCells(g), 3);
    expect(s.count).toBe(4);
    const points = new Set<string>();
    for (let i = 0; i < s.count; i++) {
      points.add(`${s.coords[4 * i]},${s.coords[4 * i + 1]}`);
      points.add(`${s.coords[4 * i + 2]},${s.coords[4 * i + 3]}`);
    }
    expect([...points].sort()).toEqual(['0.5,1', '1,0.5', '1,1.5', '1.5,1'].sort());
    expect(Array.from(s.tags)).toEqual([7, 7, 7, 7]);
    expect(waterSideHolds(g, s)).toBe(true);
  });

  it('interpolates the field linearly between pixel centres', () => {
    // Columns: water 0.3, water 0.3, land −0.1, land −0.1 → crossing at x = 1 + 0.3/0.4 = 1.75.
    const field = [0.3, 0.3, -0.1, -0.1, 0.3, 0.3, -0.1, -0.1];
    const g = grid(['wwll', 'wwll'], field);
    const s = marchingSquares(g, allCells(g), 4);
    expect(s.count).toBe(1);
    expect(s.coords[0]).toBeCloseTo(1.75, 6);
    expect(s.coords[2]).toBeCloseTo(1.75, 6);
    // Water (x < 1.75) is on the positive-cross side: the line runs down the rows here.
    expect(s.coords[1]).toBe(0);
    expect(s.coords[3]).toBe(1);
  });

  it('keeps water on the same side in every one of the 16 cases', () => {
    for (let code = 0; code < 16; code++) {
      const c = (bit: number) => ((code >> bit) & 1 ? 'w' : 'l');
      const g = grid([c(3) + c(2), c(0) + c(1)]);
      const s = marchingSquares(g, allCells(g), 2);
      const expected = code === 0 || code === 15 ? 0 : code === 5 || code === 10 ? 2 : 1;
      expect(s.count, `case ${code}`).toBe(expected);
      expect(waterSideHolds(g, s), `case ${code}`).toBe(true);
    }
  });

  it('joins the water across a saddle (8-connected water), cutting off each land corner', () => {
    const g = grid(['wl', 'lw']);
    const s = marchingSquares(g, allCells(g), 2);
    expect(s.count).toBe(2);
    const edges = Array.from(s.edges);
    // One segment joins the top and right edges (around land tr), the other bottom and left (land bl).
    expect(edges).toEqual([
      horizontalEdgeId(0, 0, 2),
      verticalEdgeId(1, 0, 2),
      horizontalEdgeId(0, 1, 2),
      verticalEdgeId(0, 0, 2),
    ]);
  });

  it('draws nothing in cells touching an invalid pixel', () => {
    const g = grid(['wlx', 'wlx', 'xxx']);
    const s = marchingSquares(g, allCells(g), 3);
    expect(s.count).toBe(1);
    expect(s.coords[0]).toBeCloseTo(0.5, 9);
  });

  it('gives the vertex of a shared edge the same id and coordinates in both cells', () => {
    const field = [0.2, -0.3, 0.4, 0.1, -0.2, 0.3, 0.25, -0.35, 0.45];
    const g = grid(['wlw', 'wlw', 'wlw'], field);
    const s = marchingSquares(g, allCells(g), 3);
    const byEdge = new Map<number, string>();
    for (let i = 0; i < s.count; i++) {
      for (const end of [0, 1]) {
        const id = s.edges[2 * i + end]!;
        const xy = `${s.coords[4 * i + 2 * end]},${s.coords[4 * i + 2 * end + 1]}`;
        if (byEdge.has(id)) expect(byEdge.get(id)).toBe(xy);
        byEdge.set(id, xy);
      }
    }
    expect(byEdge.size).toBeGreaterThan(0);
  });

  it('uses scene coordinates and scene-wide edge ids through the grid origin', () => {
    const g = { ...grid(['wl', 'wl']), originX: 100, originY: 50 };
    const s = marchingSquares(g, allCells(g), 1000);
    expect(s.coords[0]).toBeCloseTo(100.5, 9);
    expect([s.edges[0], s.edges[1]].sort()).toEqual(
      [horizontalEdgeId(100, 50, 1000), horizontalEdgeId(100, 51, 1000)].sort(),
    );
  });

  it('rejects a cell range outside the grid and arrays of the wrong size', () => {
    const g = grid(['wl', 'wl']);
    expect(() => marchingSquares(g, { x0: 0, y0: 0, x1: 2, y1: 1 }, 2)).toThrow(RangeError);
    expect(() => marchingSquares({ ...g, labels: new Int32Array(3) }, allCells(g), 2)).toThrow(RangeError);
  });

  it('leaves its inputs unchanged', () => {
    const g = grid(['wlw', 'lwl', 'wlw']);
    const copy = { classes: g.classes.slice(), labels: g.labels.slice() };
    marchingSquares(g, allCells(g), 3);
    expect(g.classes).toEqual(copy.classes);
    expect(g.labels).toEqual(copy.labels);
  });
});
