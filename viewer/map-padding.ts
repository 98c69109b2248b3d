/** A box in page pixels, as `getBoundingClientRect()` gives it. */
export interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** MapLibre's padding option: pixels of the map to keep fitted features out of, on each side. */
export interface Padding {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

type Side = keyof Padding;

/**
 * The padding that keeps what the map fits (`fitBounds`) clear of the panels floating over it: each panel is
 * kept out from the side of the map that loses least to it (a title bar from the top, a side column from its
 * side, a bottom sheet from the bottom), then `marginPx` is added on every side. Should the panels leave
 * less than `minRoomPx` of the map across or down, that axis's padding shrinks in proportion, so MapLibre
 * still has room to fit into.
 */
export function paddingClearOf(
  map: Rect,
  panels: readonly Rect[],
  marginPx: number,
  minRoomPx = 80,
): Padding {
  const width = map.right - map.left;
  const height = map.bottom - map.top;
  const cover: Padding = { top: 0, bottom: 0, left: 0, right: 0 };
  for (const panel of panels) {
    const left = Math.max(panel.left, map.left);
    const right = Math.min(panel.right, map.right);
    const top = Math.max(panel.top, map.top);
    const bottom = Math.min(panel.bottom, map.bottom);
    if (right <= left || bottom <= top) continue;
    const options: [Side, number, number][] = [
      ['top', bottom - map.top, height],
      ['bottom', map.bottom - top, height],
      ['left', right - map.left, width],
      ['right', map.right - left, width],
    ];
    const [side, px] = options.reduce((best, next) => (next[1] / next[2] < best[1] / best[2] ? next : best));
    cover[side] = Math.max(cover[side], px);
  }
  const padding: Padding = {
    top: cover.top + marginPx,
    bottom: cover.bottom + marginPx,
    left: cover.left + marginPx,
    right: cover.right + marginPx,
  };
  for (const [a, b, size] of [
    ['top', 'bottom', height],
    ['left', 'right', width],
  ] as const) {
    const total = padding[a] + padding[b];
    const allowed = Math.max(size - minRoomPx, 0);
    if (total > allowed) {
      padding[a] = (padding[a] * allowed) / total;
      padding[b] = (padding[b] * allowed) / total;
    }
  }
  return padding;
}
