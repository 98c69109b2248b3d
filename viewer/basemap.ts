import type { LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';

/** Our offline basemap layers, replaced by an external basemap when one is configured. */
const OFFLINE_BASEMAP_LAYERS = new Set(['background', 'site-area']);
const PREFIX = 'basemap:';

/** The `<meta>` the build writes TIDEMARK_BASEMAP_STYLE into (build-viewer.ts). */
export const BASEMAP_META_NAME = 'tidemark:basemap-style';

/**
 * The external basemap style URL from the `<meta name="tidemark:basemap-style">` content, or null: by default
 * (empty) the viewer is offline and asks no other host for anything. Only an absolute http(s) URL counts.
 */
export function parseBasemapStyleUrl(metaContent: string | null | undefined): string | null {
  const content = metaContent?.trim();
  if (!content) return null;
  try {
    const url = new URL(content);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * Our style drawn over an external basemap: the basemap's sources and layers first (ids prefixed, so they
 * never collide with ours), its sprite and glyphs kept for its own labels, then our overlays. Our offline
 * background and land layer are dropped: the basemap has better ones.
 */
export function mergeBasemap(ours: StyleSpecification, basemap: StyleSpecification): StyleSpecification {
  if (basemap.version !== 8 || !Array.isArray(basemap.layers) || typeof basemap.sources !== 'object') {
    throw new Error('the basemap is not a MapLibre style (version 8 with sources and layers)');
  }
  const sources: Record<string, SourceSpecification> = {};
  for (const [id, source] of Object.entries(basemap.sources)) sources[`${PREFIX}${id}`] = source;
  for (const [id, source] of Object.entries(ours.sources)) sources[id] = source;
  const layers: LayerSpecification[] = basemap.layers.map((layer) => {
    const renamed = { ...layer, id: `${PREFIX}${layer.id}` } as LayerSpecification & { source?: string };
    if (typeof renamed.source === 'string') renamed.source = `${PREFIX}${renamed.source}`;
    return renamed;
  });
  layers.push(...ours.layers.filter((l) => !OFFLINE_BASEMAP_LAYERS.has(l.id)));
  return {
    ...ours,
    name: `${ours.name ?? 'Tidemark'} over ${basemap.name ?? 'an external basemap'}`,
    ...(basemap.sprite === undefined ? {} : { sprite: basemap.sprite }),
    ...(basemap.glyphs === undefined ? {} : { glyphs: basemap.glyphs }),
    sources,
    layers,
  };
}
