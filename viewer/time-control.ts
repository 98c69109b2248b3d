import type { YearWindow } from './year-filter.ts';

/** How long each year stays on screen while playing. */
export const PLAY_STEP_MS = 900;

export interface TimeControl {
  /** The record's years (those with a shoreline) and the window to show; null disables the control. */
  setRecord(years: readonly number[] | null, window: YearWindow | null): void;
  window(): YearWindow | null;
  /** Stops playing, leaving the year shown. */
  stop(): void;
}

interface Elements {
  from: HTMLInputElement;
  to: HTMLInputElement;
  fromValue: HTMLOutputElement;
  toValue: HTMLOutputElement;
  play: HTMLButtonElement;
}

/**
 * Two labelled range inputs (from, to; whole years; arrow keys step a year) and a play button that shows one
 * year of shorelines after another, then returns to the window the analyst had. Pressing it again while it
 * plays stops it, and also returns to that window: a single year left on screen would pass for the analyst's
 * own choice. Moving a slider while it plays stops it where the analyst put the slider.
 */
export function createTimeControl(
  el: Elements,
  onChange: (window: YearWindow, cause: 'user' | 'play') => void,
): TimeControl {
  let years: readonly number[] = [];
  let timer: ReturnType<typeof setInterval> | null = null;
  let beforePlay: YearWindow | null = null;

  const valueText = (year: number) => (years.includes(year) ? `${year}` : `${year} (no shoreline that year)`);
  const show = () => {
    for (const [input, output] of [
      [el.from, el.fromValue],
      [el.to, el.toValue],
    ] as const) {
      const year = Number(input.value);
      output.textContent = String(year);
      input.setAttribute('aria-valuetext', valueText(year));
    }
  };
  const current = (): YearWindow => ({ from: Number(el.from.value), to: Number(el.to.value) });
  const set = (window: YearWindow) => {
    el.from.value = String(window.from);
    el.to.value = String(window.to);
    show();
  };

  const setPlaying = (playing: boolean) => {
    el.play.setAttribute('aria-pressed', String(playing));
    el.play.querySelector('.play-icon')!.textContent = playing ? '■' : '▶';
    el.play.querySelector('.play-label')!.textContent = playing ? 'Stop' : 'Play through the years';
  };

  /** Stops playing and leaves the window as it is (the analyst moved a slider, or chose another site). */
  const stop = () => {
    if (timer !== null) clearInterval(timer);
    timer = null;
    beforePlay = null;
    setPlaying(false);
  };

  /** Stops playing and gives back the window the analyst had before pressing play. */
  const finish = () => {
    const restore = beforePlay;
    stop();
    if (restore) {
      set(restore);
      onChange(restore, 'play');
    }
  };

  for (const [input, other, isFrom] of [
    [el.from, el.to, true],
    [el.to, el.from, false],
  ] as const) {
    input.addEventListener('input', () => {
      stop();
      // Keep from ≤ to by pushing the other thumb along, as a two-thumb slider would.
      const year = Number(input.value);
      if (isFrom ? year > Number(other.value) : year < Number(other.value)) other.value = String(year);
      show();
      onChange(current(), 'user');
    });
  }

  el.play.addEventListener('click', () => {
    if (timer !== null) {
      finish();
      return;
    }
    if (years.length === 0) return;
    beforePlay = current();
    let i = 0;
    const step = () => {
      if (i >= years.length) {
        finish();
        return;
      }
      const year = years[i++]!;
      set({ from: year, to: year });
      onChange({ from: year, to: year }, 'play');
    };
    setPlaying(true);
    step();
    timer = setInterval(step, PLAY_STEP_MS);
  });

  return {
    setRecord(recordYears, window) {
      stop();
      years = recordYears ? [...recordYears] : [];
      const enabled = recordYears !== null && recordYears.length > 0 && window !== null;
      for (const input of [el.from, el.to]) {
        input.disabled = !enabled;
        if (enabled) {
          input.min = String(Math.min(...years));
          input.max = String(Math.max(...years));
        }
      }
      el.play.disabled = !enabled || years.length < 2;
      if (enabled) set(window);
      else {
        el.fromValue.textContent = '—';
        el.toValue.textContent = '—';
      }
    },
    window: () => (el.from.disabled ? null : current()),
    stop,
  };
}
