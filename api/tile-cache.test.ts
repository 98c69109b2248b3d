import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { ContentCoding } from './content-encoding.ts';
import { SingleFlight } from './single-flight.ts';
import { MIN_COMPRESS_BYTES, TileCache } from './tile-cache.ts';

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

/** A client that accepts exactly one coding (identity refused unless it is that one). */
const only = (coding: ContentCoding) => ({ preferred: coding, identity: coding === 'identity' });

const tileBytes = new Uint8Array(2000).map((_, i) => i % 7);
const mustNotRender = async (): Promise<Uint8Array | null> => {
  throw new Error('must not render again');
};

describe('TileCache', () => {
  it('renders a missing tile once for concurrent requests and serves later ones from memory', async () => {
    const cache = new TileCache({ maxBytes: 1 << 20 });
    const r = deferredRender(tileBytes);
    const first = cache.get('shorelines/1/0/0#1', only('gzip'), r.render);
    const second = cache.get('shorelines/1/0/0#1', only('identity'), r.render);
    r.release();
    const [gz, identity] = await Promise.all([first, second]);
    expect(r.calls()).toBe(1);
    expect(identity!.body).toEqual(Buffer.from(tileBytes));
    expect(new Uint8Array(gunzipSync(gz!.body))).toEqual(tileBytes);
    // Every coding was made on the miss, so later requests are lookups, with or without waiting.
    const br = cache.peek('shorelines/1/0/0#1', only('br'));
    expect(new Uint8Array(brotliDecompressSync(br!.body))).toEqual(tileBytes);
    expect(await cache.get('shorelines/1/0/0#1', only('gzip'), mustNotRender)).toBe(gz);
    expect(cache.peek('other#1', only('gzip'))).toBeUndefined();
  });

  it('gives each coding its own strong ETag, derived from the tile bytes', async () => {
    const cache = new TileCache({ maxBytes: 1 << 20 });
    const etags = await Promise.all(
      (['identity', 'gzip', 'br'] as const).map(
        async (c) => (await cache.get('a#1', only(c), async () => tileBytes))!,
      ),
    );
    expect(etags.map((t) => t.coding)).toEqual(['identity', 'gzip', 'br']);
    for (const t of etags) expect(t.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(new Set(etags.map((t) => t.etag)).size).toBe(3);
    // The same bytes under another key (a new data version that changed nothing) keep their ETag: a 304.
    const again = await cache.get('a#2', only('gzip'), async () => tileBytes.slice());
    expect(again!.etag).toBe(etags[1]!.etag);
    const changed = await cache.get('a#3', only('gzip'), async () => tileBytes.map((v) => v + 1));
    expect(changed!.etag).not.toBe(etags[1]!.etag);
  });

  it('caches empty tiles as null, and treats zero bytes as empty', async () => {
    const cache = new TileCache({ maxBytes: 1 << 20 });
    expect(await cache.get('a', only('gzip'), async () => null)).toBeNull();
    expect(await cache.get('b', only('gzip'), async () => new Uint8Array(0))).toBeNull();
    expect(await cache.get('a', only('gzip'), mustNotRender)).toBeNull();
    expect(cache.peek('a', only('br'))).toBeNull();
    expect(cache.size).toBe(2);
  });

  it('renders again under a new data version', async () => {
    const cache = new TileCache({ maxBytes: 1 << 20 });
    await cache.get('t#1', only('identity'), async () => null);
    const tile = await cache.get('t#2', only('identity'), async () => tileBytes);
    expect(tile!.body).toEqual(Buffer.from(tileBytes));
  });

  it('does not cache a failed render', async () => {
    const cache = new TileCache({ maxBytes: 1 << 20 });
    await expect(
      cache.get('t', only('gzip'), async () => Promise.reject(new Error('db down'))),
    ).rejects.toThrow('db down');
    expect(cache.size).toBe(0);
    expect((await cache.get('t', only('identity'), async () => tileBytes))!.body).toEqual(
      Buffer.from(tileBytes),
    );
  });

  it('evicts the least recently used tiles to stay within its budget', async () => {
    const cache = new TileCache({ maxBytes: 12_000 });
    const noisy = (seed: number) => new Uint8Array(3000).map((_, i) => (i * 7919 + seed * 104729) % 251);
    for (let i = 0; i < 6; i++) await cache.get(`t${i}`, only('identity'), async () => noisy(i));
    expect(cache.bytes).toBeLessThanOrEqual(12_000);
    expect(cache.size).toBeLessThan(6);
    expect(cache.peek('t5', only('identity'))).toBeDefined();
    expect(cache.peek('t0', only('identity'))).toBeUndefined();
  });

  it('with a zero budget still answers in the coding asked for, without keeping anything', async () => {
    const cache = new TileCache({ maxBytes: 0 });
    expect(cache.enabled).toBe(false);
    const gz = await cache.get('t', only('gzip'), async () => tileBytes);
    expect(gz!.coding).toBe('gzip');
    expect(new Uint8Array(gunzipSync(gz!.body))).toEqual(tileBytes);
    expect(cache.size).toBe(0);
    expect(cache.peek('t', only('gzip'))).toBeUndefined();
  });

  it('with a zero budget renders every request, concurrent ones included', async () => {
    const cache = new TileCache({ maxBytes: 0 });
    const r = deferredRender(tileBytes);
    const first = cache.get('t', only('gzip'), r.render);
    const second = cache.get('t', only('identity'), r.render);
    r.release();
    const [gz, identity] = await Promise.all([first, second]);
    expect(r.calls()).toBe(2);
    expect(new Uint8Array(gunzipSync(gz!.body))).toEqual(tileBytes);
    expect(identity!.body).toEqual(Buffer.from(tileBytes));
  });

  it('gzips what it keeps at level 6, and at level 1 what it makes for one request, with its own ETag', async () => {
    // RFC 1952 XFL (byte 8): 4 marks zlib's fastest levels, 0 the middle ones.
    const kept = await new TileCache({ maxBytes: 1 << 20 }).get('t', only('gzip'), async () => tileBytes);
    const once = await new TileCache({ maxBytes: 0 }).get('t', only('gzip'), async () => tileBytes);
    expect(kept!.body[8]).toBe(0);
    expect(once!.body[8]).toBe(4);
    expect(gunzipSync(once!.body)).toEqual(gunzipSync(kept!.body));
    // A strong ETag names exact bytes: another level, another tag (the identity part stays the same).
    expect(once!.etag).not.toBe(kept!.etag);
    expect(once!.etag.replace(/-gzip1"$/, '"')).toBe(kept!.etag.replace(/-gzip"$/, '"'));
  });

  it('sends small tiles uncompressed to clients that accept identity, compressed to those that refuse it', async () => {
    const cache = new TileCache({ maxBytes: 1 << 20 });
    const small = new Uint8Array(MIN_COMPRESS_BYTES - 1).map((_, i) => i % 5);
    const prefersGzip = { preferred: 'gzip' as const, identity: true };
    const plain = await cache.get('s', prefersGzip, async () => small);
    expect(plain!.coding).toBe('identity');
    expect(cache.peek('s', prefersGzip)).toBe(plain);
    const gz = await cache.get('s', only('gzip'), mustNotRender);
    expect(gz!.coding).toBe('gzip');
    expect(new Uint8Array(gunzipSync(gz!.body))).toEqual(small);
    // At the threshold, the preferred coding.
    const large = await cache.get('l', prefersGzip, async () => new Uint8Array(MIN_COMPRESS_BYTES));
    expect(large!.coding).toBe('gzip');
  });

  it('does not modify the rendered bytes', async () => {
    const cache = new TileCache({ maxBytes: 1 << 20 });
    const bytes = tileBytes.slice();
    await cache.get('t', only('br'), async () => bytes);
    expect(bytes).toEqual(tileBytes);
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
