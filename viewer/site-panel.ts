import { definitionList } from './details-panel.ts';
import { formatAreaHa, formatKm, formatRateMPerYr } from './format.ts';
import type { SiteDetail, SiteInfo } from './site-api.ts';

export interface SitePanel {
  setSites(sites: readonly SiteInfo[], selected: string | null): void;
  /** Shows "loading" for the site, and returns a token the later fill/fail must match. */
  loading(slug: string): number;
  showSummary(token: number, detail: SiteDetail, erosionAreaM2: number | null): void;
  /** Shows `message` with a Retry button that calls `onRetry`. */
  showError(token: number, message: string, onRetry: () => void): void;
  clear(): void;
}

const ALL_SITES = '';

/**
 * The site switcher (a native select) and the per-site summary: coast eroding and accreting, mean and worst
 * LRR (with a button that opens the worst transect, a keyboard path into the transect panel), land lost.
 */
export function createSitePanel(
  el: { select: HTMLSelectElement; summary: HTMLElement },
  opts: { onSelect(slug: string | null): void; onShowTransect(id: number): void },
): SitePanel {
  let token = 0;
  el.select.addEventListener('change', () => {
    opts.onSelect(el.select.value === ALL_SITES ? null : el.select.value);
  });

  const message = (text: string, cls = 'muted') => {
    const p = document.createElement('p');
    p.className = cls;
    p.textContent = text;
    return p;
  };

  return {
    setSites(sites, selected) {
      el.select.replaceChildren();
      const all = document.createElement('option');
      all.value = ALL_SITES;
      all.textContent = sites.length === 0 ? 'No sites yet' : 'All sites';
      el.select.append(all);
      for (const site of sites) {
        const option = document.createElement('option');
        option.value = site.slug;
        option.textContent = site.name;
        el.select.append(option);
      }
      el.select.value = selected ?? ALL_SITES;
      el.select.disabled = sites.length === 0;
    },
    loading(slug) {
      token++;
      el.summary.dataset.state = 'loading';
      el.summary.replaceChildren(message(`Loading the summary of ${slug}…`));
      return token;
    },
    showSummary(t, detail, erosionAreaM2) {
      if (t !== token) return;
      const a = detail.analysis;
      el.summary.dataset.state = 'ready';
      if (a === null) {
        el.summary.replaceChildren(
          message(
            detail.years.length === 0
              ? 'No shorelines stored yet: ingest scenes with `tidemark ingest`.'
              : 'Not analysed yet: run `tidemark analyze` for rates and forecasts.',
          ),
        );
        return;
      }
      const list = definitionList([
        { stat: 'period', label: 'Record', value: `${a.dateFirst} to ${a.dateLast}` },
        { stat: 'eroding-km', label: 'Coast eroding', value: formatKm(a.erodingKm), raw: a.erodingKm },
        {
          stat: 'accreting-km',
          label: 'Coast accreting',
          value: formatKm(a.accretingKm),
          raw: a.accretingKm,
        },
        {
          stat: 'mean-lrr',
          label: 'Mean LRR',
          value: formatRateMPerYr(a.meanLrrMPerYr),
          raw: a.meanLrrMPerYr,
        },
        {
          stat: 'worst-lrr',
          label: 'Worst LRR',
          value: formatRateMPerYr(a.worstLrrMPerYr),
          raw: a.worstLrrMPerYr,
        },
        {
          stat: 'land-lost',
          label: 'Land lost over the record',
          value: erosionAreaM2 === null ? 'not available' : formatAreaHa(erosionAreaM2),
          raw: erosionAreaM2,
        },
      ]);
      const nodes: Node[] = [list];
      if (a.worstTransectId !== null) {
        const id = a.worstTransectId;
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'button link-button';
        button.id = 'worst-transect';
        button.textContent = 'Open the worst transect';
        button.addEventListener('click', () => opts.onShowTransect(id));
        nodes.push(button);
      }
      const fresh = a.newShorelineCount ?? 0;
      if (fresh > 0) {
        // Results that leave out newer data must say so: an analyst would otherwise read them as current.
        const note = message(
          `${fresh} shoreline${fresh === 1 ? '' : 's'} stored since this analysis ${fresh === 1 ? 'is' : 'are'} ` +
            `not in it: run \`tidemark analyze --site ${detail.slug}\` to include ${fresh === 1 ? 'it' : 'them'}.`,
          'warning',
        );
        note.dataset.stat = 'new-shorelines';
        note.dataset.value = String(fresh);
        nodes.unshift(note);
      }
      el.summary.replaceChildren(...nodes);
    },
    showError(t, text, onRetry) {
      if (t !== token) return;
      el.summary.dataset.state = 'error';
      const retry = document.createElement('button');
      retry.type = 'button';
      retry.className = 'button link-button';
      retry.textContent = 'Retry';
      retry.addEventListener('click', () => {
        // The button goes with the message: keep the keyboard focus just before the summary, not lost.
        el.select.focus();
        onRetry();
      });
      el.summary.replaceChildren(message(text, 'error'), retry);
    },
    clear() {
      token++;
      delete el.summary.dataset.state;
      el.summary.replaceChildren(message('Choose a site for its summary and report.'));
    },
  };
}
