/**
 * Splits a connection's byte stream into Kafka's size-prefixed frames with at most one copy of each byte:
 * - a frame that lies inside one socket chunk is returned as a view of that chunk (no copy);
 * - a frame spread over several chunks is assembled into a buffer of its own, exactly its size and outside Node's
 *   shared pool, so the Produce handler may keep its record batches as the log's copy (see produce.ts).
 * The 4-byte size prefix itself may straddle chunks.
 */
export class FrameSplitter {
  private readonly sizePrefix = Buffer.alloc(4);
  private sizeFilled = 0;
  /** A frame larger than the rest of its chunk, being filled (`filled` bytes so far). */
  private partial: Buffer | null = null;
  private filled = 0;

  constructor(private readonly maxFrameBytes: number) {}

  /**
   * Feeds one chunk; calls `onFrame` for every frame it completes, in order. Returns an error message (and stops)
   * when a size prefix is outside 0..maxFrameBytes; the stream cannot be resynchronised after that.
   */
  push(chunk: Buffer, onFrame: (frame: Buffer) => void): string | null {
    let at = 0;
    while (at < chunk.length) {
      if (this.partial) {
        const n = Math.min(this.partial.length - this.filled, chunk.length - at);
        chunk.copy(this.partial, this.filled, at, at + n);
        this.filled += n;
        at += n;
        if (this.filled === this.partial.length) {
          const frame = this.partial;
          this.partial = null;
          this.filled = 0;
          onFrame(frame);
        }
        continue;
      }
      while (this.sizeFilled < 4 && at < chunk.length) this.sizePrefix[this.sizeFilled++] = chunk[at++];
      if (this.sizeFilled < 4) return null;
      this.sizeFilled = 0;
      const size = this.sizePrefix.readInt32BE(0);
      if (size < 0 || size > this.maxFrameBytes) return `request size ${size} outside 0..${this.maxFrameBytes}`;
      if (chunk.length - at >= size) {
        onFrame(chunk.subarray(at, at + size));
        at += size;
      } else {
        this.partial = Buffer.allocUnsafeSlow(size);
        this.filled = 0;
      }
    }
    return null;
  }
}
