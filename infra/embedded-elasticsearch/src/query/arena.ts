/**
 * Scratch memory for one search. Queries over a million documents produce doc and score arrays of that size;
 * allocating them per query makes V8 count them as external memory and run full garbage collections of the whole
 * heap, which turn into latency spikes. Instead, a search takes slices of two buffers reused from search to search
 * (`reset()` at the start of each). Slices are not zeroed: every caller writes before it reads. When a search needs
 * more than the buffers hold it falls back to fresh arrays, and the buffers grow (up to a cap) for the next one.
 */
const CAP = 1 << 23;

class Arena {
  private ints = new Int32Array(0);
  private floats = new Float64Array(0);
  private intsUsed = 0;
  private floatsUsed = 0;
  private intsWanted = 0;
  private floatsWanted = 0;

  reset(): void {
    if (this.intsWanted > this.ints.length) this.ints = new Int32Array(Math.min(CAP, this.intsWanted));
    if (this.floatsWanted > this.floats.length) this.floats = new Float64Array(Math.min(CAP, this.floatsWanted));
    this.intsUsed = this.floatsUsed = this.intsWanted = this.floatsWanted = 0;
  }

  int32(n: number): Int32Array {
    this.intsWanted += n;
    if (this.intsUsed + n > this.ints.length) return new Int32Array(n);
    const out = this.ints.subarray(this.intsUsed, this.intsUsed + n);
    this.intsUsed += n;
    return out;
  }

  float64(n: number): Float64Array {
    this.floatsWanted += n;
    if (this.floatsUsed + n > this.floats.length) return new Float64Array(n);
    const out = this.floats.subarray(this.floatsUsed, this.floatsUsed + n);
    this.floatsUsed += n;
    return out;
  }
}

export const arena = new Arena();
