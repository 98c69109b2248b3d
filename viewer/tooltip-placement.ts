import type { Rect } from './map-padding.ts';

/** Pixels between the pointer and the tooltip. */
export const TOOLTIP_GAP_PX = 10;

export interface Size {
  width: number;
  height: number;
}

/** `value` moved into [min, max]; `min` when the range is empty (what does not fit starts at `min`). */
function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(value, max));
}

/**
 * The top-left corner of a tooltip of `size` for a pointer at `pointer`, both in the coordinates of `bounds`
 * (the box it must stay within). Centred above the pointer, as a finger on a touch screen hides what is below
 * it; below when there is no room above; then moved sideways, or up and down when neither fits, as far as it
 * takes to lie inside `bounds`, so no edge cuts it off. MapLibre's Popup picks one of nine anchors instead,
 * and none fits a tooltip wider than half the map next to a point near an edge: a phone's screen cut off the
 * start of the text. A tooltip larger than `bounds` starts at their top-left corner.
 */
export function placeTooltip(
  pointer: { x: number; y: number },
  size: Size,
  bounds: Rect,
  gapPx: number = TOOLTIP_GAP_PX,
): { x: number; y: number } {
  const x = clamp(pointer.x - size.width / 2, bounds.left, bounds.right - size.width);
  const above = pointer.y - gapPx - size.height;
  const below = pointer.y + gapPx;
  let y: number;
  if (above >= bounds.top) y = above;
  else if (below + size.height <= bounds.bottom) y = below;
  else y = clamp(above, bounds.top, bounds.bottom - size.height);
  return { x, y };
}
