export type Line = readonly (readonly [number, number])[];

/**
 * Nearest-segment queries over a set of polylines: segments are bucketed in a uniform grid of `cellSize`,
 * so a query only looks at the cells around the point.
 */
export class SegmentIndex {
  private readonly cells = new Map<string, number[]>();
  private readonly segments: number[] = [];

  constructor(
    lines: readonly Line[],
    private readonly cellSize: number,
  ) {
    for (const line of lines) {
      for (let i = 1; i < line.length; i++) {
        const [ax, ay] = line[i - 1]!;
        const [bx, by] = line[i]!;
        const id = this.segments.length / 4;
        this.segments.push(ax, ay, bx, by);
        const x0 = Math.floor(Math.min(ax, bx) / cellSize);
        const x1 = Math.floor(Math.max(ax, bx) / cellSize);
        const y0 = Math.floor(Math.min(ay, by) / cellSize);
        const y1 = Math.floor(Math.max(ay, by) / cellSize);
        for (let cy = y0; cy <= y1; cy++) {
          for (let cx = x0; cx <= x1; cx++) {
            const key = `${cx},${cy}`;
            const list = this.cells.get(key);
            if (list) list.push(id);
            else this.cells.set(key, [id]);
          }
        }
      }
    }
  }

  get empty(): boolean {
    return this.segments.length === 0;
  }

  /** Distance from (x, y) to the nearest segment, searched out to `maxDistance` (Infinity beyond). */
  distance(x: number, y: number, maxDistance: number): number {
    const s = this.segments;
    let best = Number.POSITIVE_INFINITY;
    const reach = Math.ceil(maxDistance / this.cellSize);
    const cx = Math.floor(x / this.cellSize);
    const cy = Math.floor(y / this.cellSize);
    for (let ring = 0; ring <= reach; ring++) {
      // Cells at Chebyshev distance `ring`; stop once no closer segment can exist.
      if ((ring - 1) * this.cellSize > best) break;
      for (let dy = -ring; dy <= ring; dy++) {
        for (let dx = -ring; dx <= ring; dx++) {
          if (Math.max(Math.abs(dx), Math.abs(dy)) !== ring) continue;
          const list = this.cells.get(`${cx + dx},${cy + dy}`);
          if (!list) continue;
          for (const id of list) {
            const ax = s[4 * id]!;
            const ay = s[4 * id + 1]!;
            const ex = s[4 * id + 2]! - ax;
            const ey = s[4 * id + 3]! - ay;
            const len2 = ex * ex + ey * ey;
            let t = len2 > 0 ? ((x - ax) * ex + (y - ay) * ey) / len2 : 0;
            t = Math.min(1, Math.max(0, t));
            const d = Math.hypot(x - ax - t * ex, y - ay - t * ey);
            if (d < best) best = d;
          }
        }
      }
    }
    return best <= maxDistance ? best : Number.POSITIVE_INFINITY;
  }
}
