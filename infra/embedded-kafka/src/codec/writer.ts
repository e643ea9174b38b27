/** Builds one response body with the Kafka wire primitives; grows its buffer by doubling. */
export class Writer {
  private buf: Buffer;
  private pos = 0;

  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  get length(): number {
    return this.pos;
  }

  private ensure(n: number): number {
    if (this.pos + n > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < this.pos + n) size *= 2;
      const next = Buffer.allocUnsafe(size);
      this.buf.copy(next, 0, 0, this.pos);
      this.buf = next;
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
    const at = this.ensure(8);
    this.buf.writeBigInt64BE(BigInt(v), at);
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

  /** Overwrites an int32 at an earlier position (length prefixes written before their content is known). */
  patchInt32(at: number, v: number): void {
    this.buf.writeInt32BE(v, at);
  }

  /** The bytes written so far (a view, valid until the next write). */
  toBuffer(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}
