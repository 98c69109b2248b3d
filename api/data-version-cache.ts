import type { Knex } from 'knex';
import { SingleFlight } from './single-flight.ts';

const MAX_ENTRIES = 4096;

/**
 * Data versions (the tile cache's keys) remembered for a short time, so a cached tile costs no database
 * round trip. Writes through this process's knex forget them at once (see watchCommits); writes by other
 * processes (a CLI ingest) are seen within `ttlMs`.
 */
export class DataVersionCache {
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, { version: string; expiresAt: number }>();
  readonly #loading = new SingleFlight<string>();
  // Bumped by every invalidation: a lookup that started before one must not store what it read.
  #generation = 0;
  #uncachedUntil = Number.NEGATIVE_INFINITY;

  constructor(options: { ttlMs: number; now?: () => number }) {
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? (() => performance.now());
  }

  /** The remembered version for `key`, or undefined when it must be looked up. */
  peek(key: string): string | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > this.#now()) return entry.version;
    this.#entries.delete(key);
    return undefined;
  }

  /** The version for `key`: remembered, or from `load` (concurrent lookups of a key share one). */
  async get(key: string, load: () => Promise<string>): Promise<string> {
    const known = this.peek(key);
    if (known !== undefined) return known;
    const generation = this.#generation;
    // Keyed by generation too, so a request after an invalidation never joins a lookup from before it.
    const version = await this.#loading.run(`${generation}\u0000${key}`, load);
    const now = this.#now();
    if (generation === this.#generation && now >= this.#uncachedUntil && this.#ttlMs > 0) {
      // Keys come from requests (layer and filter): a client varying its filter must not grow this without end.
      if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
      this.#entries.set(key, { version, expiresAt: now + this.#ttlMs });
    }
    return version;
  }

  /**
   * Forgets every version. `settleMs`: for that long, looked-up versions are not remembered either (a
   * commit that has been sent may not be visible yet to the lookups that follow it).
   */
  invalidate(settleMs = 0): void {
    this.#generation++;
    this.#entries.clear();
    if (settleMs > 0) this.#uncachedUntil = Math.max(this.#uncachedUntil, this.#now() + settleMs);
  }

  get size(): number {
    return this.#entries.size;
  }

  get ttlMs(): number {
    return this.#ttlMs;
  }
}

// A statement outside a transaction that may change data (a SELECT … FOR UPDATE also matches: harmless).
const WRITE = /\b(insert|update|delete|merge|truncate|copy|alter|drop|create)\b/i;
const COMMIT = /^\s*commit\b/i;

type QueryData = { sql?: unknown; __knexTxId?: unknown };
const watched = new WeakMap<Knex, Set<WeakRef<DataVersionCache>>>();

/**
 * Makes `cache` forget its versions whenever this knex instance makes a write visible: at each COMMIT (when
 * it is sent; knex reports no event when it completes, so versions read in the next TTL are not kept) and
 * after each data-changing statement outside a transaction. Every writer of this process (ingest, analyze,
 * zone edits, uploads) goes through the app's knex, so tile routes see new data at once without a query per
 * request. One pair of listeners per knex, holding caches weakly: servers come and go on one database.
 */
export function invalidateOnWrites(knex: Knex, cache: DataVersionCache): void {
  let caches = watched.get(knex);
  if (caches === undefined) {
    const set = new Set<WeakRef<DataVersionCache>>();
    caches = set;
    watched.set(knex, set);
    const notify = (settled: boolean) => {
      for (const ref of set) {
        const live = ref.deref();
        if (live === undefined) set.delete(ref);
        else live.invalidate(settled ? 0 : live.ttlMs);
      }
    };
    knex.on('query', (data: QueryData) => {
      if (typeof data.sql === 'string' && COMMIT.test(data.sql)) notify(false);
    });
    knex.on('query-response', (_response: unknown, data: QueryData) => {
      if (data.__knexTxId !== undefined || typeof data.sql !== 'string') return;
      if (WRITE.test(data.sql)) notify(true);
    });
  }
  caches.add(new WeakRef(cache));
}
