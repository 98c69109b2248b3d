/**
 * A size-bounded least-recently-used cache. A Map iterates in insertion order, so re-inserting on every hit keeps
 * the least recently used entry first, and eviction walks from the front.
 */
export class LruCache<V> {
  readonly #maxBytes: number;
  readonly #sizeOf: (value: V) => number;
  readonly #entries = new Map<string, { value: V; bytes: number }>();
  #bytes = 0;

  constructor(options: { maxBytes: number; sizeOf: (value: V) => number }) {
    if (!(options.maxBytes >= 0)) throw new RangeError(`maxBytes must be >= 0, got ${options.maxBytes}`);
    this.#maxBytes = options.maxBytes;
    this.#sizeOf = options.sizeOf;
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V): void {
    this.delete(key);
    const bytes = this.#sizeOf(value);
    // An entry larger than the whole budget would only evict everything else and then itself.
    if (bytes > this.#maxBytes) return;
    this.#entries.set(key, { value, bytes });
    this.#bytes += bytes;
    for (const [oldKey, old] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#entries.delete(oldKey);
      this.#bytes -= old.bytes;
    }
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  get size(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }
}
