export const REPORT_FORMATS = ['pdf', 'csv', 'geojson'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const LABELS: Record<ReportFormat, string> = { pdf: 'PDF', csv: 'CSV', geojson: 'GeoJSON' };
export const NOT_YET = 'available in a later release';

/** The report path of a site in one format. */
export function reportPath(slug: string, format: ReportFormat): string {
  return `api/sites/${encodeURIComponent(slug)}/report.${format}`;
}

/**
 * The report formats the API declares in its OpenAPI document (`paths` holding
 * `/api/sites/{slug}/report.<format>` with a GET). Asking the API's own description, rather than probing each
 * report URL, means no request answers 404 (which the browser would log as an error) while reports do not exist.
 */
export function reportFormatsFromOpenApi(doc: unknown): Set<ReportFormat> {
  const found = new Set<ReportFormat>();
  if (typeof doc !== 'object' || doc === null) return found;
  const paths = (doc as { paths?: unknown }).paths;
  if (typeof paths !== 'object' || paths === null) return found;
  for (const [path, item] of Object.entries(paths as Record<string, unknown>)) {
    const match = /^\/api\/sites\/\{[A-Za-z_]+\}\/report\.([a-z]+)$/.exec(path);
    if (!match) continue;
    const format = match[1] as ReportFormat;
    if (!REPORT_FORMATS.includes(format)) continue;
    if (typeof item === 'object' && item !== null && 'get' in item) found.add(format);
  }
  return found;
}

/**
 * Download links for the formats the API serves; the others are buttons marked disabled with a tooltip.
 * They stay focusable (aria-disabled, not `disabled`), so keyboard users reach the explanation too.
 */
export function renderReportLinks(
  container: HTMLElement,
  note: HTMLElement,
  slug: string | null,
  available: ReadonlySet<ReportFormat>,
): void {
  container.replaceChildren();
  const disabled: string[] = [];
  for (const format of REPORT_FORMATS) {
    if (slug !== null && available.has(format)) {
      const a = document.createElement('a');
      a.className = 'button';
      a.href = reportPath(slug, format);
      a.download = '';
      a.textContent = LABELS[format];
      a.setAttribute('aria-label', `Download the ${LABELS[format]} report of ${slug}`);
      container.append(a);
    } else {
      disabled.push(LABELS[format]);
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'button';
      button.textContent = LABELS[format];
      button.setAttribute('aria-disabled', 'true');
      button.title = slug === null ? 'Choose a site first' : `${LABELS[format]} report: ${NOT_YET}`;
      button.setAttribute('aria-describedby', note.id);
      container.append(button);
    }
  }
  note.textContent =
    slug === null
      ? 'Choose a site to download its report.'
      : `${disabled.join(', ')} ${disabled.length === 1 ? 'report is' : 'reports are'} ${NOT_YET}.`;
  note.hidden = disabled.length === 0;
}
