/**
 * The side panel that shows one transect or one zone. It is a labelled region; opening it moves the focus to
 * its heading (keyboard and screen-reader users land on what they asked for), Escape or the close button
 * closes it and gives the focus back to whatever opened it (a button, or the map), or, when that is no longer
 * shown (a phone folds the controls away), to `fallbackFocus`.
 */
export interface DetailsPanel {
  /** Shows `title` and a body being loaded; returns a token that later calls must match. */
  open(kind: 'transect' | 'zone', title: string): number;
  /**
   * Replaces the body, and the title when one is given, unless another open() came since (a slow answer
   * never overwrites a newer one).
   */
  fill(token: number, body: Node[], title?: string): void;
  fail(token: number, message: string): void;
  close(): void;
  isOpen(): boolean;
}

export function createDetailsPanel(
  root: HTMLElement,
  onClose: () => void,
  fallbackFocus: () => HTMLElement | null = () => null,
): DetailsPanel {
  const title = root.querySelector<HTMLElement>('[data-role="details-title"]');
  const body = root.querySelector<HTMLElement>('[data-role="details-body"]');
  const closeButton = root.querySelector<HTMLButtonElement>('[data-role="details-close"]');
  if (!title || !body || !closeButton) throw new Error('the details panel markup is incomplete');
  let token = 0;
  let returnFocus: HTMLElement | null = null;

  const close = () => {
    if (root.hidden) return;
    root.hidden = true;
    delete root.dataset.kind;
    delete root.dataset.state;
    body.replaceChildren();
    token++;
    onClose();
    const target = returnFocus?.isConnected && returnFocus.checkVisibility() ? returnFocus : fallbackFocus();
    target?.focus({ preventScroll: true });
    returnFocus = null;
  };
  closeButton.addEventListener('click', close);
  root.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  });

  return {
    open(kind, text) {
      token++;
      if (root.hidden) {
        const active = document.activeElement;
        returnFocus = active instanceof HTMLElement && active !== document.body ? active : null;
      }
      root.hidden = false;
      root.dataset.kind = kind;
      root.dataset.state = 'loading';
      title.textContent = text;
      const loading = document.createElement('p');
      loading.className = 'muted';
      loading.textContent = 'Loading…';
      body.replaceChildren(loading);
      title.focus({ preventScroll: true });
      return token;
    },
    fill(t, nodes, text) {
      if (t !== token) return;
      if (text !== undefined) title.textContent = text;
      body.replaceChildren(...nodes);
      root.dataset.state = 'ready';
    },
    fail(t, message) {
      if (t !== token) return;
      const p = document.createElement('p');
      p.className = 'error';
      p.setAttribute('role', 'alert');
      p.textContent = message;
      body.replaceChildren(p);
      root.dataset.state = 'error';
    },
    close,
    isOpen: () => !root.hidden,
  };
}

/** A `<dl>` of label → value rows; each value gets `data-stat` so tests and scripts can find it. */
export function definitionList(
  rows: readonly { stat: string; label: string; value: string; raw?: number | null }[],
): HTMLDListElement {
  const dl = document.createElement('dl');
  dl.className = 'stats';
  for (const row of rows) {
    const dt = document.createElement('dt');
    dt.textContent = row.label;
    const dd = document.createElement('dd');
    dd.dataset.stat = row.stat;
    if (row.raw !== undefined && row.raw !== null) dd.dataset.value = String(row.raw);
    dd.textContent = row.value;
    dl.append(dt, dd);
  }
  return dl;
}
