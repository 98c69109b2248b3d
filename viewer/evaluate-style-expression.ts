import {
  createPropertyExpression,
  featureFilter,
  latest,
  type StylePropertySpecification,
} from '@maplibre/maplibre-gl-style-spec';

/**
 * MapLibre's own expression evaluator (the style-spec package the map bundles), for tests: filters and paint
 * values are checked by evaluating them exactly as the map would, not by reading their JSON.
 */

type Properties = Record<string, unknown>;

function feature(properties: Properties): { type: 1 | 2 | 3; properties: Properties } {
  return { type: 2, properties };
}

/** Whether `filter` keeps a feature with these attributes at `zoom`. */
export function evaluateFilter(filter: unknown, properties: Properties, zoom = 14): boolean {
  const compiled = featureFilter(filter as never, 'layers[0].filter');
  return Boolean(compiled.filter({ zoom }, feature(properties) as never));
}

/** The value of a paint property (e.g. line-color of a line layer) for a feature at `zoom`. */
export function evaluatePaint(
  layerType: 'line' | 'fill',
  property: string,
  expression: unknown,
  properties: Properties,
  zoom = 14,
): unknown {
  const group = (latest as unknown as Record<string, Record<string, StylePropertySpecification>>)[
    `paint_${layerType}`
  ];
  const spec = group?.[property];
  if (!spec) throw new Error(`no paint property ${property} on ${layerType} layers`);
  const parsed = createPropertyExpression(expression as never, `layers[0].paint.${property}`, spec);
  if (parsed.result === 'error') throw new Error(parsed.value.map((e) => e.message).join('; '));
  return parsed.value.evaluate({ zoom }, feature(properties) as never);
}

/** A MapLibre colour ({r, g, b, a} premultiplied 0–1) as #rrggbb. */
export function colorToHex(color: unknown): string {
  const c = color as { r: number; g: number; b: number; a: number };
  const channel = (v: number) =>
    Math.round((v / (c.a || 1)) * 255)
      .toString(16)
      .padStart(2, '0');
  return `#${channel(c.r)}${channel(c.g)}${channel(c.b)}`;
}
