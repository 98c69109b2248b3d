import { keepShape } from '../common/keep-shape.ts';

/** Disjoint sets over 0..n−1 (path halving + union by size), in typed arrays so millions of labels stay cheap. */
export class UnionFind {
  private parent: Int32Array;
  private size: Int32Array;

  constructor(n: number) {
    this.parent = new Int32Array(n);
    this.size = new Int32Array(n).fill(1);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }

  get length(): number {
    return this.parent.length;
  }

  /** Grows the universe to at least n elements; new elements are singletons. */
  ensure(n: number): void {
    if (n <= this.parent.length) return;
    const capacity = Math.max(n, this.parent.length * 2);
    const parent = new Int32Array(capacity);
    parent.set(this.parent);
    for (let i = this.parent.length; i < capacity; i++) parent[i] = i;
    const size = new Int32Array(capacity).fill(1);
    size.set(this.size);
    this.parent = parent;
    this.size = size;
  }

  find(i: number): number {
    const parent = this.parent;
    let x = i;
    while (parent[x] !== x) {
      const grand = parent[parent[x]!]!;
      parent[x] = grand;
      x = grand;
    }
    return x;
  }

  union(a: number, b: number): number {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return ra;
    if (this.size[ra]! < this.size[rb]!) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra]! += this.size[rb]!;
    return ra;
  }
}

// Its shape outlives every window's labelling (keep-shape.ts).
keepShape(new UnionFind(1));
