import { LruCache } from './lru-cache.ts';
import { createRepresentation, type Representation, representationBytes } from './representation.ts';
import { SingleFlight } from './single-flight.ts';

/** What an empty tile costs in the cache: its key and bookkeeping, roughly. */
const EMPTY_ENTRY_BYTES = 64;

type Entry = { rep: Representation | null };

/**
 * Rendered tiles, compressed once, in an LRU bounded by bytes. Keys include the data version of what the tile
 * shows, so a new ingest or analysis makes old entries unreachable at once (they age out of the LRU), and no
 * explicit invalidation is needed, even when the write happened in another process.
 */
export class TileCache {
  readonly #lru: LruCache<Entry>;
  readonly #rendering = new SingleFlight<Entry>();

  constructor(options: { maxBytes: number }) {
    this.#lru = new LruCache<Entry>({
      maxBytes: options.maxBytes,
      sizeOf: (entry) => (entry.rep === null ? EMPTY_ENTRY_BYTES : representationBytes(entry.rep)),
    });
  }

  /** The cached representation for `key` (null: an empty tile), rendering it once if missing. */
  async get(key: string, render: () => Promise<Uint8Array | null>): Promise<Representation | null> {
    const hit = this.#lru.get(key);
    if (hit !== undefined) return hit.rep;
    const entry = await this.#rendering.run(key, async () => {
      const bytes = await render();
      const rendered: Entry = {
        rep: bytes === null || bytes.byteLength === 0 ? null : await createRepresentation(bytes),
      };
      this.#lru.set(key, rendered);
      return rendered;
    });
    return entry.rep;
  }

  clear(): void {
    this.#lru.clear();
  }

  get size(): number {
    return this.#lru.size;
  }

  get bytes(): number {
    return this.#lru.bytes;
  }
}
