/**
 * Reusable typed-array buffers for per-window kernels. An extraction worker keeps one arena across its
 * tasks, so the tens of megabytes each window needs (decoded bands, index, classes, labels) are allocated
 * once per worker instead of once per window: allocating them afresh made V8 collect garbage (and its
 * helper threads mark and sweep) about once a window, which cost more CPU than some of the kernels.
 *
 * Each slot holds one buffer, grown to the largest size asked of it and never shrunk. Arrays handed out
 * from one slot alias each other: a caller names a distinct slot for every array that must stay alive at
 * the same time, and never returns an arena array to anyone who keeps it past the task (a buffer moved to
 * another thread would be detached; the arena then simply allocates a new one).
 *
 * A function that takes an optional arena works without one exactly as before (fresh, zeroed arrays).
 */
export class ScratchArena {
  readonly #slots = new Map<string, ArrayBuffer>();

  /** A Float32Array of `length` from `slot`; its contents are whatever the slot last held. */
  float32(slot: string, length: number): Float32Array {
    return new Float32Array(this.#buffer(slot, length * 4), 0, length);
  }

  float64(slot: string, length: number): Float64Array {
    return new Float64Array(this.#buffer(slot, length * 8), 0, length);
  }

  uint8(slot: string, length: number): Uint8Array {
    return new Uint8Array(this.#buffer(slot, length), 0, length);
  }

  int32(slot: string, length: number): Int32Array {
    return new Int32Array(this.#buffer(slot, length * 4), 0, length);
  }

  /** Bytes held by all slots. */
  get bytes(): number {
    let total = 0;
    for (const buffer of this.#slots.values()) total += buffer.byteLength;
    return total;
  }

  #buffer(slot: string, bytes: number): ArrayBuffer {
    const held = this.#slots.get(slot);
    // byteLength 0: detached (moved to another thread) or never used; either way a new buffer is needed.
    if (held !== undefined && held.byteLength >= bytes && held.byteLength > 0) return held;
    // Some headroom, so windows a little larger than the last (scene edges differ) don't reallocate.
    const buffer = new ArrayBuffer(Math.max(8, Math.ceil(bytes * 1.125)));
    this.#slots.set(slot, buffer);
    return buffer;
  }
}

/** `arena.<kind>(slot, n)` when there is an arena, else a new zeroed array (the arena-less behaviour). */
export function scratchFloat32(arena: ScratchArena | undefined, slot: string, length: number): Float32Array {
  return arena ? arena.float32(slot, length) : new Float32Array(length);
}

export function scratchFloat64(arena: ScratchArena | undefined, slot: string, length: number): Float64Array {
  return arena ? arena.float64(slot, length) : new Float64Array(length);
}

export function scratchUint8(arena: ScratchArena | undefined, slot: string, length: number): Uint8Array {
  return arena ? arena.uint8(slot, length) : new Uint8Array(length);
}

export function scratchInt32(arena: ScratchArena | undefined, slot: string, length: number): Int32Array {
  return arena ? arena.int32(slot, length) : new Int32Array(length);
}
