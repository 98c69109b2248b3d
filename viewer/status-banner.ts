export type StatusKind = 'info' | 'error';

/**
 * The banner at the top of the map. Each thing that has something to say (the connection, the link, the
 * basemap, …) keeps its own line under its own key, so clearing one (the server is back) leaves the others
 * standing. Errors come first; the banner hides when no line is left.
 */
export interface StatusBanner {
  set(key: string, text: string, kind?: StatusKind): void;
  clear(key: string): void;
}

export function createStatusBanner(el: HTMLElement): StatusBanner {
  const lines = new Map<string, { text: string; kind: StatusKind }>();
  const render = () => {
    const shown = [...lines.values()].sort((a, b) => Number(b.kind === 'error') - Number(a.kind === 'error'));
    el.replaceChildren(
      ...shown.map((line) => {
        const span = document.createElement('span');
        span.className = 'status-line';
        span.dataset.kind = line.kind;
        span.textContent = line.text;
        return span;
      }),
    );
    el.dataset.kind = shown.some((line) => line.kind === 'error') ? 'error' : 'info';
    el.hidden = shown.length === 0;
  };
  return {
    set(key, text, kind = 'info') {
      const now = lines.get(key);
      // Unchanged: leave the live region alone, so a screen reader does not hear it again.
      if (now?.text === text && now.kind === kind) return;
      lines.set(key, { text, kind });
      render();
    },
    clear(key) {
      if (lines.delete(key)) render();
    },
  };
}
