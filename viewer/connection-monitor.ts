/**
 * Whether the server can be reached. A request that got no answer calls `lost()`; from then on the monitor
 * probes the server (the first probe after `firstRetryMs`, each later one twice as late, up to `maxRetryMs`)
 * until a probe or any other request succeeds (`reached()`), then calls the `onBack` listeners once. The
 * page thus recovers by itself, with no reload and no action from the analyst.
 */
export interface ConnectionMonitor {
  /** A request got no answer. */
  lost(): void;
  /** A request was answered. */
  reached(): void;
  isLost(): boolean;
  /** Called each time the server answers again after a loss. */
  onBack(listener: () => void): void;
}

export interface ConnectionMonitorOptions {
  /** Asks the server something cheap: true when it answered. */
  probe(): Promise<boolean>;
  /** Called once per loss, when it starts. */
  onLost(): void;
  /** Runs `run` after `delayMs`; returns a cancel function. Defaults to setTimeout. */
  schedule?(run: () => void, delayMs: number): () => void;
  firstRetryMs?: number;
  maxRetryMs?: number;
}

function scheduleWithTimeout(run: () => void, delayMs: number): () => void {
  const timer = setTimeout(run, delayMs);
  return () => clearTimeout(timer);
}

export function createConnectionMonitor(opts: ConnectionMonitorOptions): ConnectionMonitor {
  const schedule = opts.schedule ?? scheduleWithTimeout;
  const firstRetryMs = opts.firstRetryMs ?? 2000;
  const maxRetryMs = opts.maxRetryMs ?? 15_000;
  const listeners: (() => void)[] = [];
  let lostNow = false;
  /** Counts losses and returns, so the answer of a probe from an earlier loss is ignored. */
  let generation = 0;
  let delayMs = firstRetryMs;
  let cancel: (() => void) | null = null;

  const back = () => {
    if (!lostNow) return;
    lostNow = false;
    generation++;
    cancel?.();
    cancel = null;
    for (const listener of listeners) listener();
  };

  const probeLater = () => {
    const mine = generation;
    cancel = schedule(() => {
      cancel = null;
      const answered = (reached: boolean) => {
        if (mine !== generation) return;
        if (reached) back();
        else {
          delayMs = Math.min(delayMs * 2, maxRetryMs);
          probeLater();
        }
      };
      opts.probe().then(answered, () => answered(false));
    }, delayMs);
  };

  return {
    lost() {
      if (lostNow) return;
      lostNow = true;
      generation++;
      delayMs = firstRetryMs;
      opts.onLost();
      probeLater();
    },
    reached: back,
    isLost: () => lostNow,
    onBack(listener) {
      listeners.push(listener);
    },
  };
}
