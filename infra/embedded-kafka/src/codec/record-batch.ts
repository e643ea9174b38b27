import { gunzipSync, gzipSync } from 'node:zlib';
import { ErrorCode, RecordBatchError } from '../errors';
import { crc32c } from './crc32c';
import { Reader } from './reader';
import { Writer } from './writer';

/** RecordBatch v2 layout (offsets into the batch). */
export const BATCH_HEADER_SIZE = 61;
const LENGTH_OFFSET = 8;
const LEADER_EPOCH_OFFSET = 12;
const MAGIC_OFFSET = 16;
const CRC_OFFSET = 17;
const ATTRIBUTES_OFFSET = 21;

export const Compression = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;
const COMPRESSION_NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

export interface BatchHeader {
  baseOffset: number;
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  firstTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface DecodedRecord {
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

export const compressionOf = (attributes: number): number => attributes & 0x07;
export const isTransactional = (attributes: number): boolean => (attributes & 0x10) !== 0;
export const isControl = (attributes: number): boolean => (attributes & 0x20) !== 0;

export function readBatchHeader(batch: Buffer): BatchHeader {
  const r = new Reader(batch);
  return {
    baseOffset: r.int64(),
    batchLength: r.int32(),
    partitionLeaderEpoch: r.int32(),
    magic: r.int8(),
    crc: r.uint32(),
    attributes: r.int16(),
    lastOffsetDelta: r.int32(),
    firstTimestamp: r.int64(),
    maxTimestamp: r.int64(),
    producerId: r.int64(),
    producerEpoch: r.int16(),
    baseSequence: r.int32(),
    recordCount: r.int32(),
  };
}

/**
 * Splits a produce request's `records` field into record batches. Produce v3+ carries magic-2 batches only and
 * (as Kafka enforces) exactly one batch per partition.
 */
export function splitBatches(records: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  while (at < records.length) {
    if (records.length - at < BATCH_HEADER_SIZE) throw new RecordBatchError(ErrorCode.CORRUPT_MESSAGE, 'truncated record batch header');
    const magic = records.readInt8(at + MAGIC_OFFSET);
    if (magic !== 2) throw new RecordBatchError(ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT, `record batch magic ${magic} (only magic 2 is supported)`);
    const size = records.readInt32BE(at + LENGTH_OFFSET) + 12;
    if (size < BATCH_HEADER_SIZE || at + size > records.length) throw new RecordBatchError(ErrorCode.CORRUPT_MESSAGE, 'record batch length beyond the records field');
    out.push(records.subarray(at, at + size));
    at += size;
  }
  return out;
}

/**
 * Validates one batch as a leader does before appending it: CRC32C, compression codec, record count and offset
 * deltas (records are decoded, decompressing gzip). Returns the header.
 */
export function validateBatch(batch: Buffer): BatchHeader {
  const h = readBatchHeader(batch);
  if (h.batchLength + 12 !== batch.length) throw new RecordBatchError(ErrorCode.CORRUPT_MESSAGE, 'record batch length mismatch');
  const actual = crc32c(batch, ATTRIBUTES_OFFSET);
  if (actual !== h.crc) throw new RecordBatchError(ErrorCode.CORRUPT_MESSAGE, `record batch CRC32C mismatch (stored ${h.crc}, computed ${actual})`);
  const codec = compressionOf(h.attributes);
  if (codec !== Compression.none && codec !== Compression.gzip) {
    throw new RecordBatchError(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, `compression ${COMPRESSION_NAMES[codec] ?? codec} is not supported (none and gzip are)`);
  }
  if (isControl(h.attributes)) throw new RecordBatchError(ErrorCode.INVALID_REQUEST, 'control batches cannot be produced');
  if (h.recordCount <= 0 || h.lastOffsetDelta !== h.recordCount - 1) {
    throw new RecordBatchError(ErrorCode.CORRUPT_MESSAGE, `record count ${h.recordCount} does not match last offset delta ${h.lastOffsetDelta}`);
  }
  const n = walkRecords(batch, h);
  if (n !== h.recordCount) throw new RecordBatchError(ErrorCode.CORRUPT_MESSAGE, `batch declares ${h.recordCount} records, holds ${n}`);
  return h;
}

/** Sets the fields a leader assigns on append (base offset, partition leader epoch); both lie outside the CRC. */
export function assignOffsets(batch: Buffer, baseOffset: number, leaderEpoch: number): void {
  batch.writeBigInt64BE(BigInt(baseOffset), 0);
  batch.writeInt32BE(leaderEpoch, LEADER_EPOCH_OFFSET);
}

interface RawRecord {
  offsetDelta: number;
  timestampDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

function recordsBody(batch: Buffer, h: BatchHeader): Buffer {
  const body = batch.subarray(BATCH_HEADER_SIZE);
  if (compressionOf(h.attributes) !== Compression.gzip) return body;
  try {
    return gunzipSync(body);
  } catch (err) {
    throw new RecordBatchError(ErrorCode.CORRUPT_MESSAGE, `gzip payload does not decompress: ${(err as Error).message}`);
  }
}

/** Checks every record's framing and offset delta without materialising keys, values or headers; returns the count. */
function walkRecords(batch: Buffer, h: BatchHeader): number {
  const r = new Reader(recordsBody(batch, h));
  let i = 0;
  try {
    for (; r.remaining() > 0; i++) {
      const len = r.varint();
      const end = r.offset + len;
      r.int8(); // attributes
      r.varlong(); // timestamp delta
      const offsetDelta = r.varint();
      if (offsetDelta !== i) throw new RecordBatchError(ErrorCode.CORRUPT_MESSAGE, `record ${i} has offset delta ${offsetDelta}`);
      r.skipVarBytes(); // key
      r.skipVarBytes(); // value
      for (let k = r.varint(); k > 0; k--) {
        r.skipVarBytes(); // header key
        r.skipVarBytes(); // header value
      }
      if (r.offset !== end) throw new RecordBatchError(ErrorCode.CORRUPT_MESSAGE, `record ${i} length ${len} does not match its content`);
    }
  } catch (err) {
    if (err instanceof RecordBatchError) throw err;
    throw new RecordBatchError(ErrorCode.CORRUPT_MESSAGE, `malformed record: ${(err as Error).message}`);
  }
  return i;
}

function forEachRecord(batch: Buffer, h: BatchHeader, fn: (rec: RawRecord, index: number) => void): void {
  const r = new Reader(recordsBody(batch, h));
  try {
    for (let i = 0; r.remaining() > 0; i++) {
      const len = r.varint();
      const end = r.offset + len;
      r.int8(); // attributes (unused)
      const timestampDelta = r.varlong();
      const offsetDelta = r.varint();
      const key = r.varBytes();
      const value = r.varBytes();
      const headerCount = r.varint();
      const headers: RecordHeader[] = [];
      for (let k = 0; k < headerCount; k++) {
        const hk = r.varBytes();
        headers.push({ key: hk === null ? '' : hk.toString('utf8'), value: r.varBytes() });
      }
      if (r.offset !== end) throw new RecordBatchError(ErrorCode.CORRUPT_MESSAGE, `record ${i} length ${len} does not match its content`);
      fn({ offsetDelta, timestampDelta, key, value, headers }, i);
    }
  } catch (err) {
    if (err instanceof RecordBatchError) throw err;
    throw new RecordBatchError(ErrorCode.CORRUPT_MESSAGE, `malformed record: ${(err as Error).message}`);
  }
}

/** Decodes every record of a stored batch (absolute offsets and timestamps). */
export function decodeRecords(batch: Buffer): DecodedRecord[] {
  const h = readBatchHeader(batch);
  const out: DecodedRecord[] = [];
  forEachRecord(batch, h, (rec) =>
    out.push({ offset: h.baseOffset + rec.offsetDelta, timestamp: h.firstTimestamp + rec.timestampDelta, key: rec.key, value: rec.value, headers: rec.headers }),
  );
  return out;
}

export interface BatchInput {
  records: Array<{ key?: Buffer | null; value: Buffer | null; timestamp?: number; headers?: RecordHeader[] }>;
  compression?: 0 | 1;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  baseOffset?: number;
}

/** Encodes a RecordBatch v2 (used by tests and the benchmark's raw client; the broker itself never re-encodes). */
export function encodeBatch(input: BatchInput): Buffer {
  const now = Date.now();
  const stamps = input.records.map((r) => r.timestamp ?? now);
  const first = Math.min(...stamps);
  const max = Math.max(...stamps);
  const body = new Writer(1024);
  input.records.forEach((rec, i) => {
    const w = new Writer(128);
    w.int8(0).varlong(stamps[i] - first).varint(i).varBytes(rec.key ?? null).varBytes(rec.value);
    const headers = rec.headers ?? [];
    w.varint(headers.length);
    for (const hd of headers) w.varBytes(Buffer.from(hd.key)).varBytes(hd.value);
    body.varint(w.length).raw(w.toBuffer());
  });
  const compression = input.compression ?? Compression.none;
  const payload = compression === Compression.gzip ? gzipSync(body.toBuffer()) : Buffer.from(body.toBuffer());
  const w = new Writer(BATCH_HEADER_SIZE + payload.length);
  w.int64(input.baseOffset ?? 0).int32(BATCH_HEADER_SIZE - 12 + payload.length).int32(-1).int8(2).uint32(0);
  w.int16(compression).int32(input.records.length - 1).int64(first).int64(max);
  w.int64(input.producerId ?? -1).int16(input.producerEpoch ?? -1).int32(input.baseSequence ?? -1).int32(input.records.length);
  w.raw(payload);
  const out = Buffer.from(w.toBuffer());
  out.writeUInt32BE(crc32c(out, ATTRIBUTES_OFFSET), CRC_OFFSET);
  return out;
}
