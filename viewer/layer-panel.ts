import { OVERLAYS, type OverlayId } from './layer-catalog.ts';
import type { LegendItem } from './layer-legends.ts';
import { renderLegendItems } from './legend.ts';

export interface LayerPanel {
  /** Marks an overlay unavailable (its checkbox disabled, the reason shown under it). */
  disable(id: OverlayId, reason: string): void;
  /** Makes a disabled overlay available again (another site has its data), checked unless switched off. */
  enable(id: OverlayId): void;
  setLegend(id: OverlayId, items: readonly LegendItem[]): void;
}

/**
 * One labelled checkbox per overlay, with its legend under it. Native checkboxes: Tab reaches each, Space
 * toggles it, and screen readers announce name and state with no extra ARIA.
 */
export function createLayerPanel(
  list: HTMLElement,
  opts: { hidden: ReadonlySet<string>; onToggle(id: OverlayId, visible: boolean): void },
): LayerPanel {
  const rows = new Map<OverlayId, { input: HTMLInputElement; note: HTMLElement; legend: HTMLElement }>();
  // Top of the map first, as in GIS layer lists.
  for (const overlay of [...OVERLAYS].reverse()) {
    const li = document.createElement('li');
    li.className = 'layer';
    li.dataset.overlay = overlay.id;
    const label = document.createElement('label');
    const input = document.createElement('input');
    input.type = 'checkbox';
    input.id = `layer-${overlay.id}`;
    input.checked = !opts.hidden.has(overlay.id);
    input.addEventListener('change', () => opts.onToggle(overlay.id, input.checked));
    label.append(input, ` ${overlay.title}`);
    const note = document.createElement('p');
    note.className = 'layer-note';
    note.id = `layer-${overlay.id}-note`;
    note.hidden = true;
    const legend = document.createElement('div');
    legend.className = 'legend';
    legend.id = `legend-${overlay.id}`;
    legend.setAttribute('aria-label', `Legend: ${overlay.title}`);
    li.append(label, note, legend);
    list.append(li);
    rows.set(overlay.id, { input, note, legend });
  }

  return {
    disable(id, reason) {
      const row = rows.get(id);
      if (!row) return;
      row.input.disabled = true;
      row.input.checked = false;
      row.input.setAttribute('aria-describedby', row.note.id);
      row.note.textContent = `Not available: ${reason}.`;
      row.note.hidden = false;
      row.legend.hidden = true;
      row.input.closest('li')?.classList.add('unavailable');
    },
    enable(id) {
      const row = rows.get(id);
      if (!row?.input.disabled) return;
      row.input.disabled = false;
      row.input.checked = !opts.hidden.has(id);
      row.input.removeAttribute('aria-describedby');
      row.note.textContent = '';
      row.note.hidden = true;
      row.legend.hidden = false;
      row.input.closest('li')?.classList.remove('unavailable');
    },
    setLegend(id, items) {
      const row = rows.get(id);
      if (row) renderLegendItems(row.legend, items);
    },
  };
}
