/**
 * Builds one message with the Kafka wire primitives. Small fields go into a scratch buffer that grows by doubling;
 * large byte runs that are already immutable (stored record batches) can be appended by reference with `rawRef`,
 * so a fetch response does not copy the log.
 */
export class Writer {
  private buf: Buffer;
  private pos = 0;
  /** Start of the scratch bytes not yet moved to `segments`. */
  private segStart = 0;
  private readonly segments: Buffer[] = [];
  private segmentsLength = 0;

  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  get length(): number {
    return this.segmentsLength + this.pos - this.segStart;
  }

  private ensure(n: number): number {
    if (this.pos + n > this.buf.length) {
      const used = this.pos - this.segStart;
      let size = Math.max(this.buf.length * 2, 256);
      while (size < used + n) size *= 2;
      const next = Buffer.allocUnsafe(size);
      this.buf.copy(next, 0, this.segStart, this.pos);
      this.buf = next;
      this.segStart = 0;
      this.pos = used;
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  int8(v: number): this {
    const at = this.ensure(1);
    this.buf.writeInt8(v, at);
    return this;
  }
  int16(v: number): this {
    const at = this.ensure(2);
    this.buf.writeInt16BE(v, at);
    return this;
  }
  int32(v: number): this {
    const at = this.ensure(4);
    this.buf.writeInt32BE(v, at);
    return this;
  }
  uint32(v: number): this {
    const at = this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, at);
    return this;
  }
  int64(v: number): this {
    if (!Number.isSafeInteger(v)) {
      const at = this.ensure(8);
      this.buf.writeBigInt64BE(BigInt(v), at); // throws for non-integers, as before
      return this;
    }
    // Two 32-bit halves (two's complement) instead of a BigInt: the same bytes for every safe integer.
    const hi = Math.floor(v / 0x1_0000_0000);
    const at = this.ensure(8);
    this.buf.writeInt32BE(hi, at);
    this.buf.writeUInt32BE(v - hi * 0x1_0000_0000, at + 4);
    return this;
  }
  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }

  string(s: string): this {
    return this.nullableString(s);
  }
  nullableString(s: string | null): this {
    if (s === null) return this.int16(-1);
    const len = Buffer.byteLength(s);
    this.int16(len);
    const at = this.ensure(len);
    this.buf.write(s, at, len, 'utf8');
    return this;
  }

  bytes(b: Buffer): this {
    return this.nullableBytes(b);
  }
  nullableBytes(b: Buffer | null): this {
    if (b === null) return this.int32(-1);
    this.int32(b.length);
    return this.raw(b);
  }

  array<T>(items: readonly T[], item: (w: Writer, v: T) => void): this {
    this.int32(items.length);
    for (const v of items) item(this, v);
    return this;
  }
  nullableArray<T>(items: readonly T[] | null, item: (w: Writer, v: T) => void): this {
    if (items === null) return this.int32(-1);
    return this.array(items, item);
  }

  varint(v: number): this {
    let z = ((v << 1) ^ (v >> 31)) >>> 0;
    while (z >= 0x80) {
      const at = this.ensure(1);
      this.buf[at] = (z & 0x7f) | 0x80;
      z >>>= 7;
    }
    const end = this.ensure(1);
    this.buf[end] = z;
    return this;
  }
  varlong(v: number): this {
    const n = BigInt(v);
    let z = BigInt.asUintN(64, (n << 1n) ^ (n >> 63n));
    while (z >= 0x80n) {
      const at = this.ensure(1);
      this.buf[at] = Number(z & 0x7fn) | 0x80;
      z >>= 7n;
    }
    const end = this.ensure(1);
    this.buf[end] = Number(z);
    return this;
  }
  varBytes(b: Buffer | null): this {
    if (b === null) return this.varint(-1);
    this.varint(b.length);
    return this.raw(b);
  }

  raw(b: Buffer): this {
    const at = this.ensure(b.length);
    b.copy(this.buf, at);
    return this;
  }

  /** Appends `b` without copying it; the caller guarantees `b` is never modified afterwards. */
  rawRef(b: Buffer): this {
    if (b.length < 4096) return this.raw(b);
    this.flushScratch();
    this.segments.push(b);
    this.segmentsLength += b.length;
    return this;
  }

  private flushScratch(): void {
    if (this.pos === this.segStart) return;
    const view = this.buf.subarray(this.segStart, this.pos);
    this.segments.push(view);
    this.segmentsLength += view.length;
    this.segStart = this.pos;
  }

  /** Overwrites an int32 at position 0..3 of the message (its size prefix, known only at the end). */
  patchSizePrefix(v: number): void {
    (this.segments[0] ?? this.buf.subarray(this.segStart)).writeInt32BE(v, 0);
  }

  /** The message as a list of buffers (views; write them out before reusing anything). */
  toBuffers(): Buffer[] {
    this.flushScratch();
    return this.segments;
  }

  /** The message as one buffer (copies when it is made of several segments). */
  toBuffer(): Buffer {
    const parts = this.toBuffers();
    return parts.length === 1 ? (parts[0] ?? Buffer.alloc(0)) : Buffer.concat(parts, this.segmentsLength);
  }
}
