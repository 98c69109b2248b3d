import { YEAR_RAMP, type YearRange, yearColor, yearsInRange } from './year-ramp.ts';

/** Up to this many years get one swatch each; longer records get a gradient bar. */
const MAX_SWATCHES = 16;

/** Fills the legend panel: one coloured swatch per year, or a gradient for long records. */
export function renderLegend(container: HTMLElement, range: YearRange): void {
  container.replaceChildren();
  const title = document.createElement('h2');
  title.textContent = 'Shoreline year';
  container.append(title);
  const years = yearsInRange(range);
  if (years.length <= MAX_SWATCHES) {
    const list = document.createElement('ol');
    for (const year of years) {
      const item = document.createElement('li');
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = yearColor(year, range);
      swatch.setAttribute('aria-hidden', 'true');
      item.append(swatch, String(year));
      list.append(item);
    }
    container.append(list);
  } else {
    const bar = document.createElement('div');
    bar.className = 'gradient';
    bar.style.background = `linear-gradient(to right, ${YEAR_RAMP.join(', ')})`;
    bar.setAttribute('role', 'img');
    bar.setAttribute('aria-label', `Colour ramp from ${range.minYear} to ${range.maxYear}`);
    const labels = document.createElement('div');
    labels.className = 'gradient-labels';
    const from = document.createElement('span');
    from.textContent = String(range.minYear);
    const to = document.createElement('span');
    to.textContent = String(range.maxYear);
    labels.append(from, to);
    container.append(bar, labels);
  }
  container.hidden = false;
}
