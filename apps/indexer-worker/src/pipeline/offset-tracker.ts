/**
 * Tracks, for one partition, which offsets of the records handed out are finished (indexed, dead-lettered or
 * skipped) and answers the highest contiguous finished offset: the only position that may be committed.
 * A record still being retried holds the commit point back, however many later records are done.
 * Offsets are decimal strings, as kafkajs gives them; they are compared as bigints.
 */
export class OffsetTracker {
  private readonly pending: bigint[] = [];
  private readonly finished = new Set<bigint>();
  /** Highest offset such that it and everything handed out before it are finished; null until one is. */
  private contiguous: bigint | null = null;

  /** Registers the offsets of records about to be processed, in ascending order. */
  track(offsets: readonly string[]): void {
    for (const text of offsets) {
      const offset = BigInt(text);
      const last = this.pending.length > 0 ? this.pending[this.pending.length - 1] : this.contiguous;
      if (last !== null && offset <= last) throw new RangeError(`offset ${text} tracked out of order (after ${String(last)})`);
      this.pending.push(offset);
    }
  }

  /** Marks one tracked offset finished; returns true if the committable position moved. */
  finish(text: string): boolean {
    const offset = BigInt(text);
    if (!this.pending.includes(offset)) throw new RangeError(`offset ${text} is not pending`);
    this.finished.add(offset);
    let moved = false;
    while (this.pending.length > 0 && this.finished.has(this.pending[0])) {
      const head = this.pending.shift() as bigint;
      this.finished.delete(head);
      this.contiguous = head;
      moved = true;
    }
    return moved;
  }

  /** True once `offset` was finished (whether or not the commit position has passed it). */
  isFinished(text: string): boolean {
    const offset = BigInt(text);
    return this.finished.has(offset) || (this.contiguous !== null && offset <= this.contiguous && !this.pending.includes(offset));
  }

  /** The highest contiguous finished offset (as a string), or null if none is finished yet. */
  lastFinished(): string | null {
    return this.contiguous === null ? null : this.contiguous.toString();
  }

  /** The offset to commit (Kafka commits the next offset to read), or null. */
  commitPosition(): string | null {
    return this.contiguous === null ? null : (this.contiguous + 1n).toString();
  }

  /** Records tracked and not yet covered by the commit position. */
  get outstanding(): number {
    return this.pending.length;
  }
}
