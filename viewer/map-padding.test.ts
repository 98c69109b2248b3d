import { describe, expect, it } from 'vitest';
import { paddingClearOf, type Rect } from './map-padding.ts';

const rect = (left: number, top: number, width: number, height: number): Rect => ({
  left,
  top,
  right: left + width,
  bottom: top + height,
});

describe('paddingClearOf', () => {
  it('keeps clear of the title bar, the controls column and the side panel on a wide screen', () => {
    const map = rect(0, 0, 1280, 800);
    const panels = [rect(10, 10, 300, 40), rect(10, 58, 300, 732), rect(880, 10, 390, 670)];
    // The title bar is cheapest to avoid from the top; the columns from their sides.
    expect(paddingClearOf(map, panels, 20)).toEqual({ top: 70, bottom: 20, left: 330, right: 420 });
  });

  it('keeps clear of the title bar and the bottom sheet on a phone', () => {
    const map = rect(0, 0, 390, 844);
    const panels = [rect(8, 8, 374, 40), rect(0, 354, 390, 490)];
    expect(paddingClearOf(map, panels, 20)).toEqual({ top: 68, bottom: 510, left: 20, right: 20 });
  });

  it('ignores panels outside the map and measures from the map, not the page', () => {
    const map = rect(100, 50, 400, 300);
    const panels = [rect(600, 0, 100, 100), rect(100, 300, 400, 60)];
    expect(paddingClearOf(map, panels, 10)).toEqual({ top: 10, bottom: 60, left: 10, right: 10 });
  });

  it('shrinks the padding in proportion when the panels leave less than the minimum room', () => {
    const map = rect(0, 0, 390, 400);
    const panels = [rect(0, 0, 390, 150), rect(0, 200, 390, 200)];
    const padding = paddingClearOf(map, panels, 10, 100);
    expect(padding.top + padding.bottom).toBeCloseTo(300, 6);
    expect(padding.top / padding.bottom).toBeCloseTo(160 / 210, 6);
    expect(padding.left).toBe(10);
  });

  it('does not change its inputs', () => {
    const map = rect(0, 0, 390, 844);
    const panels = [rect(8, 8, 374, 40)];
    const copy = structuredClone({ map, panels });
    paddingClearOf(map, panels, 20);
    expect({ map, panels }).toEqual(copy);
  });
});
