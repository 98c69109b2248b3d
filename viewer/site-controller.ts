import { NetworkError } from './http-json.ts';
import { fetchRecordErosionAreaM2 } from './ogc-api.ts';
import { type ReportFormat, renderReportLinks } from './report-links.ts';
import { fetchSiteDetail, type SiteInfo } from './site-api.ts';
import { createSitePanel } from './site-panel.ts';

export interface SiteController {
  /** Fills the switcher and shows the selected site's summary (without calling onSelect). */
  init(sites: readonly SiteInfo[], selected: SiteInfo | null): void;
  /** Loads the summary again if it failed (the server is back). */
  retry(): void;
}

/** The summary's words while the server cannot be reached; it loads again once the server is back. */
export const UNREACHABLE_SUMMARY_TEXT =
  'The server cannot be reached: the summary will load when it is back.';

/**
 * Ties the site switcher to the summary (`GET /api/sites/{slug}` and the land lost, from the OGC `change`
 * collection) and to the report links. `onSelect` lets the map follow a change of site.
 */
export function createSiteController(opts: {
  select: HTMLSelectElement;
  summary: HTMLElement;
  reportButtons: HTMLElement;
  reportNote: HTMLElement;
  reportFormats: ReadonlySet<ReportFormat>;
  onSelect(site: SiteInfo | null): void;
  onShowTransect(id: number): void;
  /** The summary's request got no answer. */
  onUnreachable(): void;
}): SiteController {
  let sites: readonly SiteInfo[] = [];
  let inFlight: AbortController | null = null;
  let shown: SiteInfo | null = null;
  let failed = false;

  const show = (site: SiteInfo | null) => {
    inFlight?.abort();
    shown = site;
    failed = false;
    renderReportLinks(opts.reportButtons, opts.reportNote, site?.slug ?? null, opts.reportFormats);
    if (site === null) {
      panel.clear();
      return;
    }
    const controller = new AbortController();
    inFlight = controller;
    const token = panel.loading(site.slug);
    Promise.all([
      fetchSiteDetail(site.slug, controller.signal),
      // The land lost is a nicety: its failure leaves the rest of the summary standing.
      fetchRecordErosionAreaM2(site.slug).catch(() => null),
    ])
      .then(([detail, erosionAreaM2]) => panel.showSummary(token, detail, erosionAreaM2))
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        failed = true;
        const retry = () => show(site);
        if (err instanceof NetworkError) {
          panel.showError(token, UNREACHABLE_SUMMARY_TEXT, retry);
          opts.onUnreachable();
          return;
        }
        panel.showError(
          token,
          `Could not load the summary: ${err instanceof Error ? err.message : String(err)}`,
          retry,
        );
      });
  };

  const panel = createSitePanel(
    { select: opts.select, summary: opts.summary },
    {
      onSelect(slug) {
        const site = sites.find((s) => s.slug === slug) ?? null;
        show(site);
        opts.onSelect(site);
      },
      onShowTransect: opts.onShowTransect,
    },
  );

  return {
    init(list, selected) {
      sites = list;
      panel.setSites(list, selected?.slug ?? null);
      show(selected);
    },
    retry() {
      if (failed) show(shown);
    },
  };
}
