import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BLOCK_SPEC } from '../pipeline/block-levels.ts';
import { CONTOUR_HALO_PX } from '../pipeline/contour-window.ts';
import { DEFAULT_HISTOGRAM_BINS } from '../pipeline/otsu-threshold.ts';
import { openSceneSource } from '../sources/open-scene-source.ts';
import run from './extract-worker.ts';
import { warmUpTasks } from './kernel-warm-up.ts';
import type { ScanTask, WorkerReply } from './protocol.ts';

const SCENE = fileURLToPath(new URL('../fixtures/scenes/ca-mau-2020.tif', import.meta.url));

/** Every ArrayBuffer a value holds through its typed arrays. */
function buffersIn(value: unknown, out = new Set<ArrayBufferLike>()): Set<ArrayBufferLike> {
  if (ArrayBuffer.isView(value)) out.add(value.buffer);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) buffersIn(v, out);
  return out;
}

/** A worker reply as Piscina's worker loop reads it: the value, and the buffers to transfer with it. */
function asPiscinaSees(reply: unknown): { value: WorkerReply<unknown>; transfer: ArrayBuffer[] } {
  const r = reply as Record<symbol, unknown>;
  return {
    value: r[Piscina.valueSymbol] as WorkerReply<unknown>,
    transfer: r[Piscina.transferableSymbol] as ArrayBuffer[],
  };
}

/** The reply's typed arrays are all listed for transfer, and transferring them detaches them here. */
function expectMoved(reply: unknown): void {
  const { value, transfer } = asPiscinaSees(reply);
  expect(value.ok, JSON.stringify(value)).toBe(true);
  const buffers = buffersIn(value);
  expect(buffers.size).toBeGreaterThan(0);
  expect(new Set(transfer)).toEqual(buffers);
  // What postMessage does with that list: the sender keeps nothing, no byte is copied.
  const received = structuredClone(value, { transfer });
  for (const b of buffers) expect(b.byteLength).toBe(0);
  expect(buffersIn(received).size).toBe(buffers.size);
}

describe('extraction worker replies', () => {
  it("move a scan's typed arrays (a real window of a fixture GeoTIFF) instead of copying them", async () => {
    const source = await openSceneSource(SCENE);
    const task: ScanTask = {
      task: 'scan',
      scene: { id: 'extract-worker.test', source: source.snapshot() },
      window: { x0: 0, y0: 0, x1: 256, y1: 256 },
      index: 'mndwi',
      contourBand: 'swir16',
      histogram: { min: -1, max: 1, bins: DEFAULT_HISTOGRAM_BINS },
      blocks: { ...DEFAULT_BLOCK_SPEC, indexMin: -1, indexMax: 1 },
      halo: CONTOUR_HALO_PX,
      reflectanceScale: 1,
      keep: null,
    };
    await source.close();
    expectMoved(await run(task));
  });

  it("move a contour's segments instead of copying them", async () => {
    expectMoved(await run(structuredClone(warmUpTasks(32).kept)));
  });

  it('return a failing task as data, naming the problem, with nothing to move', async () => {
    const source = await openSceneSource(SCENE);
    const { info } = source;
    const task = {
      ...warmUpTasks(32).scan,
      scene: { id: 'extract-worker.test', source: source.snapshot() },
      // Past the scene's last row.
      window: { x0: 0, y0: info.height, x1: 64, y1: info.height + 64 },
      keep: null,
    };
    await source.close();
    const reply = await run(task);
    expect(reply).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'INVALID_INPUT',
        message: expect.stringMatching(/outside the 512×512 scene/),
      }),
    });
    // A plain reply: nothing marked for transfer.
    expect(asPiscinaSees(reply).transfer).toBeUndefined();
  });
});
