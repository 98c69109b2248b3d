import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SingleFlight } from './single-flight.ts';
import { TileCache } from './tile-cache.ts';

/** A render whose completion the test controls: an explicit handshake instead of a sleep. */
function deferredRender(bytes: Uint8Array | null) {
  let calls = 0;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    render: async () => {
      calls++;
      await gate;
      return bytes;
    },
    release: () => release(),
    calls: () => calls,
  };
}

const tileBytes = new Uint8Array(2000).map((_, i) => i % 7);

describe('TileCache', () => {
  it('renders a missing tile once for concurrent requests and serves later ones from memory', async () => {
    const cache = new TileCache({ maxBytes: 1 << 20 });
    const r = deferredRender(tileBytes);
    const first = cache.get('shorelines/1/0/0#1', r.render);
    const second = cache.get('shorelines/1/0/0#1', r.render);
    r.release();
    const [a, b] = await Promise.all([first, second]);
    expect(r.calls()).toBe(1);
    expect(a).toBe(b);
    expect(a!.identity).toEqual(tileBytes);
    expect(new Uint8Array(gunzipSync(a!.gzip!))).toEqual(tileBytes);
    const third = await cache.get('shorelines/1/0/0#1', async () => {
      throw new Error('must not render again');
    });
    expect(third).toBe(a);
  });

  it('caches empty tiles as null, and treats zero bytes as empty', async () => {
    const cache = new TileCache({ maxBytes: 1 << 20 });
    expect(await cache.get('a', async () => null)).toBeNull();
    expect(await cache.get('b', async () => new Uint8Array(0))).toBeNull();
    expect(await cache.get('a', async () => tileBytes)).toBeNull();
    expect(cache.size).toBe(2);
  });

  it('renders again under a new data version', async () => {
    const cache = new TileCache({ maxBytes: 1 << 20 });
    await cache.get('t#1', async () => null);
    const rep = await cache.get('t#2', async () => tileBytes);
    expect(rep!.identity).toEqual(tileBytes);
  });

  it('does not cache a failed render', async () => {
    const cache = new TileCache({ maxBytes: 1 << 20 });
    await expect(cache.get('t', async () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect(cache.size).toBe(0);
    expect((await cache.get('t', async () => tileBytes))!.identity).toEqual(tileBytes);
  });

  it('with a zero budget still answers, without keeping anything', async () => {
    const cache = new TileCache({ maxBytes: 0 });
    expect((await cache.get('t', async () => tileBytes))!.identity).toEqual(tileBytes);
    expect(cache.size).toBe(0);
  });
});

describe('SingleFlight', () => {
  it('shares a pending promise per key and forgets it once settled', async () => {
    const flight = new SingleFlight<number>();
    let calls = 0;
    let release!: (v: number) => void;
    const work = () => {
      calls++;
      return new Promise<number>((resolve) => {
        release = resolve;
      });
    };
    const a = flight.run('k', work);
    const b = flight.run('k', work);
    expect(flight.size).toBe(1);
    release(7);
    expect(await Promise.all([a, b])).toEqual([7, 7]);
    expect(calls).toBe(1);
    expect(flight.size).toBe(0);
    const c = flight.run('k', work);
    release(8);
    expect(await c).toBe(8);
    expect(calls).toBe(2);
  });
});
