import type { LegendItem } from './layer-legends.ts';

function swatch(item: Extract<LegendItem, { kind: 'line' | 'fill' }>): HTMLSpanElement {
  const el = document.createElement('span');
  el.className = `swatch swatch-${item.kind}`;
  el.setAttribute('aria-hidden', 'true');
  if (item.kind === 'line') {
    el.style.borderTopColor = item.color;
    if (item.dashed) el.classList.add('dashed');
  } else {
    el.style.background = item.color;
    el.style.opacity = String(Math.min(1, item.opacity + 0.15));
  }
  return el;
}

/** Draws legend items into `container` (a list for swatches, a gradient bar for ramps, text for notes). */
export function renderLegendItems(container: HTMLElement, items: readonly LegendItem[]): void {
  container.replaceChildren();
  let list: HTMLUListElement | null = null;
  for (const item of items) {
    if (item.kind === 'line' || item.kind === 'fill') {
      if (list === null) {
        list = document.createElement('ul');
        list.className = 'legend-list';
        container.append(list);
      }
      const li = document.createElement('li');
      if (item.kind === 'line' && item.inactive) {
        li.classList.add('inactive');
        li.title = 'Outside the selected years';
      }
      li.append(swatch(item), item.label);
      list.append(li);
      continue;
    }
    list = null;
    if (item.kind === 'ramp') {
      const bar = document.createElement('div');
      bar.className = 'gradient';
      bar.style.background = `linear-gradient(to right, ${item.colors.join(', ')})`;
      bar.setAttribute('role', 'img');
      bar.setAttribute('aria-label', item.label);
      const labels = document.createElement('div');
      labels.className = 'gradient-labels';
      labels.setAttribute('aria-hidden', 'true');
      for (const tick of item.ticks) {
        const span = document.createElement('span');
        span.textContent = tick.text;
        // Centred on its position, kept inside the bar at both ends.
        span.style.left = `${(tick.at * 100).toFixed(1)}%`;
        span.style.transform = `translateX(-${(tick.at * 100).toFixed(1)}%)`;
        labels.append(span);
      }
      container.append(bar, labels);
    } else {
      const note = document.createElement('p');
      note.className = 'legend-note';
      note.textContent = item.text;
      container.append(note);
    }
  }
}
