import { describe, expect, it } from 'vitest';
import { CLASS_INVALID, CLASS_LAND, CLASS_WATER } from './marching-squares.ts';
import {
  EDGE_BOTTOM,
  EDGE_LEFT,
  EDGE_MASKED,
  EDGE_RIGHT,
  EDGE_TOP,
  labelWaterComponents,
} from './water-components.ts';

function classes(rows: string[]) {
  const height = rows.length;
  const width = rows[0]!.length;
  const out = new Uint8Array(width * height);
  rows.forEach((row, y) => {
    [...row].forEach((c, x) => {
      out[y * width + x] = c === 'w' ? CLASS_WATER : c === 'l' ? CLASS_LAND : CLASS_INVALID;
    });
  });
  return { width, height, classes: out };
}

const frame = (g: { width: number; height: number }, ox = 0, oy = 0, sw = g.width, sh = g.height) => ({
  originX: ox,
  originY: oy,
  sceneWidth: sw,
  sceneHeight: sh,
});

describe('labelWaterComponents', () => {
  it('joins diagonal neighbours (8-connectivity) and separates disjoint bodies', () => {
    const g = classes(['wll', 'lwl', 'lll', 'llw']);
    const c = labelWaterComponents(g, frame(g));
    expect(c.count).toBe(2);
    expect(c.labels[0]).toBe(c.labels[4]);
    expect(c.labels[11]).not.toBe(c.labels[0]);
    expect(c.area[c.labels[0]!]).toBe(2);
    expect(c.area[c.labels[11]!]).toBe(1);
  });

  it('merges provisional labels that meet later (U shape)', () => {
    const g = classes(['wlw', 'wlw', 'www']);
    const c = labelWaterComponents(g, frame(g));
    expect(c.count).toBe(1);
    expect(c.area[1]).toBe(7);
  });

  it('flags bodies on the scene border or next to invalid pixels, not interior ponds', () => {
    const g = classes(['lllllll', 'lwlllwl', 'lllllxl', 'wllllll']);
    const c = labelWaterComponents(g, frame(g));
    const pond = c.labels[1 * 7 + 1]!;
    const nearInvalid = c.labels[1 * 7 + 5]!;
    const onBorder = c.labels[3 * 7]!;
    expect(c.touchesEdge[pond]).toBe(0);
    expect(c.touchesEdge[nearInvalid]).toBe(EDGE_MASKED);
    expect(c.touchesEdge[onBorder]).toBe(EDGE_BOTTOM | EDGE_LEFT);
  });

  it('names every side of the scene a body reaches', () => {
    const g = classes(['wwwl', 'llll', 'lllw', 'wlww']);
    const c = labelWaterComponents(g, frame(g));
    expect(c.touchesEdge[c.labels[0]!]).toBe(EDGE_TOP | EDGE_LEFT);
    expect(c.touchesEdge[c.labels[12]!]).toBe(EDGE_BOTTOM | EDGE_LEFT);
    expect(c.touchesEdge[c.labels[11]!]).toBe(EDGE_BOTTOM | EDGE_RIGHT);
    const all = classes(['www', 'www']);
    expect(labelWaterComponents(all, frame(all)).touchesEdge[1]).toBe(
      EDGE_TOP | EDGE_BOTTOM | EDGE_LEFT | EDGE_RIGHT,
    );
  });

  it('takes invalid pixels beyond the scene edge (a window halo) for the edge, not for a masked area', () => {
    // A 2 × 2 window at the scene's top-left corner with its 1-pixel halo: the halo's top row and left
    // column lie outside the scene (invalid); one pixel inside the scene, at (2, 0), is masked.
    const g = classes(['xxxx', 'xwlx', 'xlwl', 'xlll']);
    const window = frame(g, -1, -1, 3, 3);
    const region = { x0: 1, y0: 1, x1: 4, y1: 4 };
    const core = { x0: 1, y0: 1, x1: 3, y1: 3 };
    const c = labelWaterComponents(g, window, region, core);
    const corner = c.labels[1 * 4 + 1]!;
    const inner = c.labels[2 * 4 + 2]!;
    expect(corner).toBe(inner);
    expect(c.touchesEdge[corner]).toBe(EDGE_TOP | EDGE_LEFT | EDGE_MASKED);
    // Without the masked pixel, the halo alone makes no masked area.
    const clear = classes(['xxxx', 'xwll', 'xlwl', 'xlll']);
    expect(labelWaterComponents(clear, window, region, core).touchesEdge[1]).toBe(EDGE_TOP | EDGE_LEFT);
    const inland = classes(['xxxx', 'xlll', 'xlwl', 'xlll']);
    expect(labelWaterComponents(inland, window, region, core).touchesEdge[1]).toBe(0);
  });

  it('judges the scene border through the frame, not the grid border', () => {
    const g = classes(['lll', 'lwl', 'lll']);
    // The grid is a window in the middle of a larger scene: its own border is not the scene's.
    expect(labelWaterComponents(g, frame(g, 10, 10, 100, 100)).touchesEdge[1]).toBe(0);
    expect(
      labelWaterComponents(classes(['w']), frame({ width: 1, height: 1 }, 10, 99, 100, 100)).touchesEdge[1],
    ).toBe(EDGE_BOTTOM);
  });

  it('labels only the region and counts area only in the core', () => {
    const g = classes(['wwww', 'wwww', 'wwww']);
    const c = labelWaterComponents(
      g,
      frame(g),
      { x0: 1, y0: 0, x1: 4, y1: 3 },
      { x0: 1, y0: 1, x1: 3, y1: 2 },
    );
    expect(c.labels[0]).toBe(0);
    expect(c.labels[1]).toBe(1);
    expect(c.area[1]).toBe(2);
  });

  it('rejects a region outside the grid or a core outside the region', () => {
    const g = classes(['ww', 'ww']);
    expect(() => labelWaterComponents(g, frame(g), { x0: 0, y0: 0, x1: 3, y1: 2 })).toThrow(RangeError);
    expect(() =>
      labelWaterComponents(g, frame(g), { x0: 1, y0: 0, x1: 2, y1: 2 }, { x0: 0, y0: 0, x1: 2, y1: 2 }),
    ).toThrow(RangeError);
  });

  it('leaves the classes unchanged', () => {
    const g = classes(['wlw', 'lxl']);
    const copy = g.classes.slice();
    labelWaterComponents(g, frame(g));
    expect(g.classes).toEqual(copy);
  });

  it('matches a flood fill on random grids (same partition, areas and edge contact)', () => {
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let trial = 0; trial < 30; trial++) {
      const width = 5 + Math.floor(random() * 30);
      const height = 5 + Math.floor(random() * 30);
      const rows = Array.from({ length: height }, () =>
        Array.from({ length: width }, () => {
          const r = random();
          return r < 0.45 ? 'w' : r < 0.97 ? 'l' : 'x';
        }).join(''),
      );
      const g = classes(rows);
      const c = labelWaterComponents(g, frame(g));
      // Reference: breadth-first flood fill over 8-neighbours.
      const ref = new Int32Array(width * height);
      let count = 0;
      for (let i = 0; i < width * height; i++) {
        if (g.classes[i] !== CLASS_WATER || ref[i]) continue;
        count++;
        const queue = [i];
        ref[i] = count;
        while (queue.length) {
          const p = queue.pop()!;
          const px = p % width;
          const py = Math.floor(p / width);
          for (let dy = -1; dy <= 1; dy++) {
            for (let dx = -1; dx <= 1; dx++) {
              const qx = px + dx;
              const qy = py + dy;
              if (qx < 0 || qy < 0 || qx >= width || qy >= height) continue;
              const q = qy * width + qx;
              if (g.classes[q] === CLASS_WATER && !ref[q]) {
                ref[q] = count;
                queue.push(q);
              }
            }
          }
        }
      }
      expect(c.count).toBe(count);
      const mapping = new Map<number, number>();
      for (let i = 0; i < width * height; i++) {
        if (!ref[i]) {
          expect(c.labels[i]).toBe(0);
          continue;
        }
        const seen = mapping.get(ref[i]!);
        if (seen === undefined) mapping.set(ref[i]!, c.labels[i]!);
        else expect(c.labels[i]).toBe(seen);
      }
      const areas = new Map<number, number>();
      const edges = new Map<number, number>();
      for (let i = 0; i < width * height; i++) {
        if (!ref[i]) continue;
        areas.set(ref[i]!, (areas.get(ref[i]!) ?? 0) + 1);
        const px = i % width;
        const py = Math.floor(i / width);
        let edge = (py === 0 ? EDGE_TOP : 0) | (py === height - 1 ? EDGE_BOTTOM : 0);
        edge |= (px === 0 ? EDGE_LEFT : 0) | (px === width - 1 ? EDGE_RIGHT : 0);
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const qx = px + dx;
            const qy = py + dy;
            if (
              qx >= 0 &&
              qy >= 0 &&
              qx < width &&
              qy < height &&
              g.classes[qy * width + qx] === CLASS_INVALID
            )
              edge |= EDGE_MASKED;
          }
        }
        edges.set(ref[i]!, (edges.get(ref[i]!) ?? 0) | edge);
      }
      for (const [r, label] of mapping) {
        expect(c.area[label]).toBe(areas.get(r));
        expect(c.touchesEdge[label]).toBe(edges.get(r));
      }
    }
  });
});
