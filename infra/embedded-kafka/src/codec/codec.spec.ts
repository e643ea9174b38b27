import fc from 'fast-check';
import { crc32c, crc32cBitwise } from './crc32c';
import { Reader } from './reader';
import { decodeRecords, encodeBatch, validateBatch, Compression } from './record-batch';
import { Writer } from './writer';
import { RecordBatchError } from '../errors';

describe('crc32c', () => {
  it('matches the Castagnoli check value and the RFC 3720 (B.4) vectors', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(32, 0))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i)))).toBe(0x46dd794e);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)))).toBe(0x113fdb5c);
    const iscsiRead = Buffer.alloc(48);
    Buffer.from([0x01, 0xc0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x14, 0, 0, 0, 0, 0, 0x04, 0, 0, 0, 0, 0x14, 0, 0, 0, 0x18, 0x28]).copy(iscsiRead);
    iscsiRead.writeUInt32BE(0x02000000, 40);
    expect(crc32c(iscsiRead)).toBe(0xd9963a56);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
  });

  it('agrees with the bitwise definition at every alignment, length and sub-range', () => {
    const backing = Buffer.allocUnsafeSlow(4096 + 16);
    for (let i = 0; i < backing.length; i++) backing[i] = (i * 131 + 7) & 0xff;
    for (let shift = 0; shift < 8; shift++) {
      const view = backing.subarray(shift); // byteOffset 0..7: the aligned word path starts at every phase
      for (const len of [0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 63, 64, 65, 255, 1000, 4095]) {
        expect(crc32c(view, 0, len)).toBe(crc32cBitwise(view, 0, len));
        expect(crc32c(view, 5, len + 5)).toBe(crc32cBitwise(view, 5, len + 5));
      }
    }
  });
});

describe('Writer and Reader', () => {
  it('round-trip primitives across buffer growth', () => {
    const w = new Writer(4);
    const big = Buffer.alloc(5000, 7);
    w.int8(-3).int16(-300).int32(123456789).int64(2 ** 40 + 5).string('héllo').nullableString(null).bytes(big).nullableBytes(null);
    w.varint(-1).varint(300).varlong(-(2 ** 40)).array([1, 2, 3], (x, v) => x.int32(v));
    const r = new Reader(Buffer.from(w.toBuffer()));
    expect([r.int8(), r.int16(), r.int32(), r.int64(), r.string(), r.nullableString()]).toEqual([-3, -300, 123456789, 2 ** 40 + 5, 'héllo', null]);
    expect(r.bytes().equals(big)).toBe(true);
    expect(r.nullableBytes()).toBeNull();
    expect([r.varint(), r.varint(), r.varlong()]).toEqual([-1, 300, -(2 ** 40)]);
    expect(r.array((x) => x.int32())).toEqual([1, 2, 3]);
    expect(r.remaining()).toBe(0);
  });

  it('refuses to read past the end', () => {
    expect(() => new Reader(Buffer.from([0, 5, 65])).string()).toThrow(/truncated/);
  });

  // int64 and varlong are read (and int64 written) without BigInt; these pin them to the BigInt definitions.
  const int64s = fc.oneof(
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    fc.constantFrom(0n, -1n, 1n, 2n ** 31n, -(2n ** 31n), 2n ** 32n, 2n ** 53n - 1n, -(2n ** 53n) + 1n, 2n ** 63n - 1n, -(2n ** 63n)),
  );
  const safeInts = fc.oneof(fc.maxSafeInteger(), fc.integer(), fc.constantFrom(0, -1, 2 ** 32 - 1, 2 ** 32, -(2 ** 32), Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER));

  it('reads int64 as Number(readBigInt64BE) for every 64-bit value', () => {
    fc.assert(
      fc.property(int64s, (v) => {
        const b = Buffer.alloc(9);
        b.writeBigInt64BE(v, 1);
        const r = new Reader(b);
        r.int8();
        expect(r.int64()).toBe(Number(v));
        expect(r.remaining()).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('writes int64 as writeBigInt64BE does for every safe integer, and still rejects non-integers', () => {
    fc.assert(
      fc.property(safeInts, (v) => {
        const expected = Buffer.alloc(8);
        expected.writeBigInt64BE(BigInt(v));
        expect(new Writer(1).int64(v).toBuffer().equals(expected)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    expect(new Writer().int64(2 ** 60).toBuffer().equals(Buffer.from('1000000000000000', 'hex'))).toBe(true);
    expect(() => new Writer().int64(1.5)).toThrow(RangeError);
  });

  it('reads varlongs of 1 to 10 bytes as the zig-zag BigInt definition, ending at the same offset', () => {
    const zigzag = (v: bigint): Buffer => {
      let z = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
      const out: number[] = [];
      for (; z >= 0x80n; z >>= 7n) out.push(Number(z & 0x7fn) | 0x80);
      out.push(Number(z));
      return Buffer.from(out);
    };
    fc.assert(
      fc.property(fc.oneof(int64s, fc.bigInt({ min: -(2n ** 28n), max: 2n ** 28n })), (v) => {
        const r = new Reader(Buffer.concat([zigzag(v), Buffer.from([0x2a])]));
        expect(r.varlong()).toBe(Number(v));
        expect(r.int8()).toBe(0x2a);
      }),
      { numRuns: 3000 },
    );
    const longest = zigzag(-(2n ** 63n));
    expect(longest.length).toBe(10);
    for (let len = 0; len < 10; len++) expect(() => new Reader(longest.subarray(0, len)).varlong()).toThrow(/truncated/);
    expect(() => new Reader(Buffer.alloc(11, 0x80)).varlong()).toThrow(/longer than 10 bytes/);
  });
});

describe('RecordBatch v2', () => {
  const records = [
    { key: Buffer.from('k1'), value: Buffer.from('v1'), timestamp: 1000, headers: [{ key: 'h', value: Buffer.from('x') }] },
    { key: null, value: null, timestamp: 1005 },
  ];

  it.each([Compression.none, Compression.gzip] as const)('validates and decodes (compression %i)', (compression) => {
    const batch = encodeBatch({ records, compression, baseOffset: 40 });
    const h = validateBatch(batch);
    expect(h).toMatchObject({ magic: 2, recordCount: 2, lastOffsetDelta: 1, firstTimestamp: 1000, maxTimestamp: 1005 });
    const decoded = decodeRecords(batch);
    expect(decoded.map((r) => [r.offset, r.timestamp, r.key?.toString() ?? null, r.value?.toString() ?? null])).toEqual([
      [40, 1000, 'k1', 'v1'],
      [41, 1005, null, null],
    ]);
    expect(decoded[0].headers).toEqual([{ key: 'h', value: Buffer.from('x') }]);
  });

  it('rejects a corrupted batch by its CRC32C', () => {
    const batch = encodeBatch({ records });
    batch[batch.length - 1] ^= 0xff;
    expect(() => validateBatch(batch)).toThrow(expect.objectContaining({ errorCode: 2 }) as unknown as RecordBatchError);
  });

  it('rejects unsupported compression with UNSUPPORTED_COMPRESSION_TYPE', () => {
    const batch = encodeBatch({ records });
    batch.writeInt16BE(3, 21); // lz4
    const { crc32c: crc } = jest.requireActual<typeof import('./crc32c')>('./crc32c');
    batch.writeUInt32BE(crc(batch, 21), 17);
    expect(() => validateBatch(batch)).toThrow(/lz4 is not supported/);
  });
});
