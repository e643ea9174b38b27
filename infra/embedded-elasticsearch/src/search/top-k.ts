/** Keeps the `k` best items seen (by `better(a, b) < 0` meaning a ranks before b), then returns them best first. */
export class TopK<T> {
  private readonly heap: T[] = [];

  constructor(private readonly k: number, private readonly compare: (a: T, b: T) => number) {}

  /** Whether `item` would enter the top k (cheap pre-check before building it). */
  offer(item: T): void {
    if (this.k <= 0) return;
    const h = this.heap;
    if (h.length < this.k) {
      h.push(item);
      this.up(h.length - 1);
    } else if (this.compare(item, h[0]) < 0) {
      h[0] = item;
      this.down(0);
    }
  }

  /** The worst item kept, once k items are kept. */
  worst(): T | undefined {
    return this.heap.length === this.k ? this.heap[0] : undefined;
  }

  sorted(): T[] {
    return [...this.heap].sort(this.compare);
  }

  // Max-heap on "worse": the root is the worst kept item.
  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.compare(h[i], h[p]) <= 0) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.compare(h[l], h[m]) > 0) m = l;
      if (r < h.length && this.compare(h[r], h[m]) > 0) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m], h[i]];
      i = m;
    }
  }
}
