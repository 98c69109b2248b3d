/** An sRGB colour as [r, g, b], each 0–255. */
export type Rgb = [number, number, number];

function parseHex(color: string): Rgb {
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(color);
  const long = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  const parts = long ? long.slice(1) : short ? short.slice(1).map((c) => c + c) : null;
  if (parts === null) throw new Error(`not a #rrggbb colour: ${color}`);
  return parts.map((p) => Number.parseInt(p, 16)) as Rgb;
}

/** WCAG 2's relative luminance (https://www.w3.org/TR/WCAG21/#dfn-relative-luminance). */
function luminance([r, g, b]: Rgb): number {
  const linear = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG 2's contrast ratio of two opaque colours, from 1 to 21 (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(parseHex(a)), luminance(parseHex(b))].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** `top` at `alpha` (0–1) painted over the opaque `under`, as #rrggbb. */
export function blendOver(top: Rgb, alpha: number, under: string): string {
  const base = parseHex(under);
  return `#${top
    .map((c, i) => Math.round(alpha * c + (1 - alpha) * base[i]!))
    .map((c) => c.toString(16).padStart(2, '0'))
    .join('')}`;
}
