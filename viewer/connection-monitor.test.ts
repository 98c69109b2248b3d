import { describe, expect, it } from 'vitest';
import { createConnectionMonitor } from './connection-monitor.ts';

/**
 * A monitor whose timers and probes the test runs by hand: `due` lists the scheduled probes (with their
 * delays), `answer` settles the probe in flight.
 */
function harness() {
  const due: { delayMs: number; run: () => void; cancelled: boolean }[] = [];
  const probes: ((reached: boolean) => void)[] = [];
  const events: string[] = [];
  const monitor = createConnectionMonitor({
    probe: () =>
      new Promise<boolean>((resolve) => {
        events.push('probe');
        probes.push(resolve);
      }),
    onLost: () => events.push('lost'),
    schedule(run, delayMs) {
      const entry = { delayMs, run, cancelled: false };
      due.push(entry);
      return () => {
        entry.cancelled = true;
      };
    },
    firstRetryMs: 2000,
    maxRetryMs: 7000,
  });
  monitor.onBack(() => events.push('back'));
  /** Runs the last scheduled probe and lets its answer through. */
  const runProbe = async (reached: boolean) => {
    const next = due.at(-1)!;
    expect(next.cancelled).toBe(false);
    next.run();
    probes.at(-1)!(reached);
    // The monitor reads the answer in a promise callback: let it run.
    await Promise.resolve();
    await Promise.resolve();
  };
  return { monitor, due, events, probes, runProbe };
}

describe('createConnectionMonitor', () => {
  it('reports the loss once, probes with a growing delay, and reports the return once', async () => {
    const { monitor, due, events, runProbe } = harness();
    monitor.lost();
    monitor.lost();
    expect(events).toEqual(['lost']);
    expect(monitor.isLost()).toBe(true);
    await runProbe(false);
    await runProbe(false);
    await runProbe(false);
    expect(due.map((d) => d.delayMs)).toEqual([2000, 4000, 7000, 7000]);
    await runProbe(true);
    expect(events).toEqual(['lost', 'probe', 'probe', 'probe', 'probe', 'back']);
    expect(monitor.isLost()).toBe(false);
    expect(due).toHaveLength(4);
  });

  it('takes a successful request as the return and stops probing', () => {
    const { monitor, due, events } = harness();
    monitor.lost();
    monitor.reached();
    expect(events).toEqual(['lost', 'back']);
    expect(due[0]!.cancelled).toBe(true);
    monitor.reached();
    expect(events).toEqual(['lost', 'back']);
  });

  it('ignores the answer of a probe that started before the last loss', async () => {
    const { monitor, due, events, probes } = harness();
    monitor.lost();
    due[0]!.run();
    monitor.reached();
    monitor.lost();
    expect(events).toEqual(['lost', 'probe', 'back', 'lost']);
    // The earlier probe answers "reached" late: it speaks of the earlier loss, so the new one stands.
    probes[0]!(true);
    await Promise.resolve();
    await Promise.resolve();
    expect(monitor.isLost()).toBe(true);
    expect(events).toEqual(['lost', 'probe', 'back', 'lost']);
    expect(due).toHaveLength(2);
  });

  it('does nothing while the connection is fine', () => {
    const { monitor, due, events } = harness();
    monitor.reached();
    expect(events).toEqual([]);
    expect(due).toEqual([]);
    expect(monitor.isLost()).toBe(false);
  });
});
