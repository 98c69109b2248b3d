/**
 * Reads the XML GDAL keeps in the GDAL_METADATA TIFF tag (42112): dataset items, and per-band items such as
 * DESCRIPTION, SCALE and OFFSET (GDAL writes `sample` 0-based and `role` for the special ones).
 */
export interface GdalMetadata {
  /** Dataset-level items (no `sample` attribute), by name. */
  dataset: Record<string, string>;
  /** Per-band items by 0-based sample, keyed by role when there is one (description, scale, offset), else name. */
  bands: Map<number, Record<string, string>>;
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-fA-F]+);/g, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}

export function parseGdalMetadata(xml: string | null | undefined): GdalMetadata {
  const out: GdalMetadata = { dataset: {}, bands: new Map() };
  if (!xml) return out;
  const itemPattern = /<Item\b([^>]*)>([\s\S]*?)<\/Item>/g;
  for (const match of xml.matchAll(itemPattern)) {
    const attributes: Record<string, string> = {};
    for (const a of (match[1] ?? '').matchAll(/(\w+)\s*=\s*"([^"]*)"/g))
      attributes[a[1]!] = unescapeXml(a[2]!);
    const name = attributes.name;
    if (!name) continue;
    // GDAL escapes values twice when writing (CPLEscapeString, then the XML serialiser), so unescape twice.
    const value = unescapeXml(unescapeXml(match[2] ?? '')).trim();
    if (attributes.sample === undefined) {
      out.dataset[name] = value;
      continue;
    }
    const sample = Number(attributes.sample);
    if (!Number.isInteger(sample) || sample < 0) continue;
    const band = out.bands.get(sample) ?? {};
    band[attributes.role ?? name] = value;
    out.bands.set(sample, band);
  }
  return out;
}
