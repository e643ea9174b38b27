import { assignOffsets, decodeRecords, type BatchHeader } from '../codec/record-batch';
import { ProducerStateTable, type SequenceCheck } from './producer-state';

export interface StoredBatch {
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: number;
  appendedAt: number;
  /**
   * The batch exactly as validated, with base offset and leader epoch assigned. Never modified once stored (fetch
   * responses send it by reference); the Produce handler may replace it with an identical copy right after append.
   */
  bytes: Buffer;
}

export type AppendResult =
  | { errorCode: 0; baseOffset: number; duplicate: false; stored: StoredBatch }
  | { errorCode: 0; baseOffset: number; duplicate: true }
  | { errorCode: number; message: string };

/**
 * One partition's log in memory: record batches in offset order, the high watermark (= log end offset, a single
 * replica is always in sync), the log start offset and the idempotent producer state. Memory is the retained batches'
 * bytes plus a small object per batch.
 */
export class PartitionLog {
  readonly batches: StoredBatch[] = [];
  logStartOffset = 0;
  highWatermark = 0;
  retainedBytes = 0;
  readonly producers = new ProducerStateTable();

  constructor(readonly leaderEpoch = 0) {}

  /** The offset below which reads see only committed data; equals the high watermark (no transactions here). */
  get lastStableOffset(): number {
    return this.highWatermark;
  }

  /**
   * Appends a validated batch. The log keeps `batch` itself (no copy): the caller hands over a buffer that nobody
   * modifies afterwards and that does not pin much more memory than itself (see the Produce handler).
   */
  append(batch: Buffer, header: BatchHeader, now: number): AppendResult {
    const idempotent = header.producerId >= 0 && header.baseSequence >= 0;
    if (idempotent) {
      const check: SequenceCheck = this.producers.check(header.producerId, header.producerEpoch, header.baseSequence, header.recordCount);
      if (check.kind === 'duplicate') return { errorCode: 0, baseOffset: check.baseOffset, duplicate: true };
      if (check.kind === 'error') return { errorCode: check.errorCode, message: check.message };
    }
    const baseOffset = this.highWatermark;
    assignOffsets(batch, baseOffset, this.leaderEpoch);
    const stored: StoredBatch = { baseOffset, lastOffset: baseOffset + header.lastOffsetDelta, maxTimestamp: header.maxTimestamp, appendedAt: now, bytes: batch };
    this.batches.push(stored);
    this.highWatermark = baseOffset + header.lastOffsetDelta + 1;
    this.retainedBytes += batch.length;
    if (idempotent) this.producers.record(header.producerId, header.producerEpoch, header.baseSequence, header.recordCount, baseOffset);
    return { errorCode: 0, baseOffset, duplicate: false, stored };
  }

  /** Index of the first batch whose last offset is >= offset (batches.length when none). */
  private indexFor(offset: number): number {
    let lo = 0;
    let hi = this.batches.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.batches[mid].lastOffset < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Whole batches from the one holding `offset`, up to `maxBytes` (at least one batch, as Kafka returns the first
   * batch even when it is larger than the limit, so that consumers make progress). Clients skip records below `offset`.
   */
  read(offset: number, maxBytes: number, alwaysOne: boolean): Buffer[] {
    const out: Buffer[] = [];
    let size = 0;
    for (let i = this.indexFor(offset); i < this.batches.length; i++) {
      const b = this.batches[i].bytes;
      if (size + b.length > maxBytes && (out.length > 0 || !alwaysOne)) break;
      out.push(b);
      size += b.length;
    }
    return out;
  }

  /** First offset whose record timestamp is >= ts, with that timestamp; null when there is none (Kafka's exact lookup). */
  offsetForTimestamp(ts: number): { offset: number; timestamp: number } | null {
    for (let i = 0; i < this.batches.length; i++) {
      const b = this.batches[i];
      if (b.maxTimestamp < ts) continue;
      for (const rec of decodeRecords(b.bytes)) {
        if (rec.timestamp >= ts && rec.offset >= this.logStartOffset) return { offset: rec.offset, timestamp: rec.timestamp };
      }
    }
    return null;
  }

  /** Drops whole batches from the head while the retained size exceeds `maxBytes` or they are older than `maxAgeMs`. */
  enforceRetention(maxBytes: number, maxAgeMs: number, now: number): void {
    let drop = 0;
    let bytes = this.retainedBytes;
    while (drop < this.batches.length - 1) {
      const b = this.batches[drop];
      const tooBig = maxBytes >= 0 && bytes > maxBytes;
      const tooOld = maxAgeMs >= 0 && now - Math.max(b.maxTimestamp, 0) > maxAgeMs;
      if (!tooBig && !tooOld) break;
      bytes -= b.bytes.length;
      drop++;
    }
    if (drop === 0) return;
    this.batches.splice(0, drop);
    this.retainedBytes = bytes;
    this.logStartOffset = this.batches[0].baseOffset;
  }
}
