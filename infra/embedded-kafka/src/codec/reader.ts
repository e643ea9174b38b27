import { ProtocolError } from '../errors';

/**
 * Reads the Kafka wire primitives (big-endian fixed-width integers, length-prefixed strings, bytes and arrays,
 * zig-zag varints) from one buffer. Every read is bounds-checked: a short or malformed request throws ProtocolError.
 */
export class Reader {
  private pos = 0;

  constructor(private readonly buf: Buffer) {}

  /** The whole buffer being read. */
  get source(): Buffer {
    return this.buf;
  }

  get offset(): number {
    return this.pos;
  }

  remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(n: number): number {
    if (n < 0 || this.pos + n > this.buf.length) throw new ProtocolError(`truncated input: need ${n} bytes at ${this.pos} of ${this.buf.length}`);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  int8(): number {
    return this.buf.readInt8(this.need(1));
  }
  int16(): number {
    return this.buf.readInt16BE(this.need(2));
  }
  int32(): number {
    return this.buf.readInt32BE(this.need(4));
  }
  uint32(): number {
    return this.buf.readUInt32BE(this.need(4));
  }
  /** int64 as a JS number: offsets, timestamps and producer ids stay far below 2^53 here. */
  int64(): number {
    // hi * 2^32 is exact and the one addition rounds like Number(BigInt) does, so this equals
    // Number(readBigInt64BE()) for every input, without allocating a BigInt.
    const at = this.need(8);
    return this.buf.readInt32BE(at) * 0x1_0000_0000 + this.buf.readUInt32BE(at + 4);
  }
  bool(): boolean {
    return this.int8() !== 0;
  }

  string(): string {
    const s = this.nullableString();
    if (s === null) throw new ProtocolError('null where a string is required');
    return s;
  }
  nullableString(): string | null {
    const len = this.int16();
    if (len < 0) return null;
    const at = this.need(len);
    return this.buf.toString('utf8', at, at + len);
  }

  bytes(): Buffer {
    const b = this.nullableBytes();
    if (b === null) throw new ProtocolError('null where bytes are required');
    return b;
  }
  /** A view on the request buffer (no copy). */
  nullableBytes(): Buffer | null {
    const len = this.int32();
    if (len < 0) return null;
    const at = this.need(len);
    return this.buf.subarray(at, at + len);
  }

  array<T>(item: (r: Reader) => T): T[] {
    const a = this.nullableArray(item);
    if (a === null) throw new ProtocolError('null where an array is required');
    return a;
  }
  nullableArray<T>(item: (r: Reader) => T): T[] | null {
    const n = this.int32();
    if (n < 0) return null;
    if (n > this.remaining()) throw new ProtocolError(`array of ${n} items exceeds the ${this.remaining()} bytes left`);
    const out: T[] = new Array<T>(n);
    for (let i = 0; i < n; i++) out[i] = item(this);
    return out;
  }

  /** Zig-zag varint (at most 5 bytes, 32-bit result). */
  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (shift > 28) throw new ProtocolError('varint longer than 5 bytes');
      const b = this.buf[this.need(1)];
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7;
    }
    return (result >>> 1) ^ -(result & 1);
  }

  /** Zig-zag varlong (at most 10 bytes) as a JS number. */
  varlong(): number {
    // Fast path without BigInt for up to 4 bytes (28 bits: record timestamp deltas are usually one byte), which
    // the 32-bit zig-zag decodes exactly; longer values take the BigInt path from the start.
    const start = this.pos;
    let small = 0;
    for (let shift = 0; shift <= 21; shift += 7) {
      const b = this.buf[this.need(1)];
      small |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return (small >>> 1) ^ -(small & 1);
    }
    this.pos = start;
    return this.bigVarlong();
  }

  private bigVarlong(): number {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (shift > 63n) throw new ProtocolError('varlong longer than 10 bytes');
      const b = this.buf[this.need(1)];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7n;
    }
    return Number((result >> 1n) ^ -(result & 1n));
  }

  /** A varint-length-prefixed byte run (record keys, values, header keys/values); -1 means null. */
  varBytes(): Buffer | null {
    const len = this.varint();
    if (len < 0) return null;
    const at = this.need(len);
    return this.buf.subarray(at, at + len);
  }

  /** Skips a varint-length-prefixed byte run without creating a view of it. */
  skipVarBytes(): void {
    const len = this.varint();
    if (len > 0) this.need(len);
  }

  raw(n: number): Buffer {
    const at = this.need(n);
    return this.buf.subarray(at, at + n);
  }
}
