import { MEDIA, type OgcLink } from './ogc-vocabulary.ts';

export interface LandingPage {
  title: string;
  description: string;
  links: OgcLink[];
}

/** `/ogc` (OGC API Features §7.2): where a client finds the API definition, conformance and the data. */
export function buildLandingPage(baseUrl: string): LandingPage {
  return {
    title: 'Tidemark OGC API - Features',
    description:
      'Shorelines, DSAS transects, shoreline change, forecasts, erosion hazard zones, aquaculture zones and ' +
      'sites of the Tidemark coastal-erosion service, as GeoJSON in CRS84.',
    links: [
      { href: baseUrl, rel: 'self', type: MEDIA.json, title: 'This document' },
      { href: `${baseUrl}?f=html`, rel: 'alternate', type: MEDIA.html, title: 'This document as HTML' },
      { href: `${baseUrl}/api`, rel: 'service-desc', type: MEDIA.openapi, title: 'The API definition' },
      { href: `${baseUrl}/conformance`, rel: 'conformance', type: MEDIA.json, title: 'Conformance classes' },
      { href: `${baseUrl}/collections`, rel: 'data', type: MEDIA.json, title: 'Feature collections' },
    ],
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The landing page for a browser: the same links, readable. */
export function landingPageHtml(page: LandingPage): string {
  const items = page.links
    .map(
      (link) =>
        `<li><a href="${escapeHtml(link.href)}">${escapeHtml(link.title ?? link.rel)}</a> ` +
        `<small>(${escapeHtml(link.rel)}${link.type ? `, ${escapeHtml(link.type)}` : ''})</small></li>`,
    )
    .join('\n    ');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(page.title)}</title></head>
<body>
  <h1>${escapeHtml(page.title)}</h1>
  <p>${escapeHtml(page.description)}</p>
  <ul>
    ${items}
  </ul>
</body>
</html>
`;
}
