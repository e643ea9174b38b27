import { ErrorCode } from '../errors';

/** How many recent batches per producer and partition Kafka remembers for duplicate detection. */
const RECENT_BATCHES = 5;

interface RecentBatch {
  firstSeq: number;
  lastSeq: number;
  baseOffset: number;
}

interface ProducerEntry {
  epoch: number;
  recent: RecentBatch[];
}

export type SequenceCheck = { kind: 'append' } | { kind: 'duplicate'; baseOffset: number } | { kind: 'error'; errorCode: number; message: string };

const nextSeq = (seq: number): number => (seq === 0x7fffffff ? 0 : seq + 1);

/**
 * Per-partition idempotent producer state: for each producer id the current epoch and the sequence numbers of its
 * last five batches. Duplicates are answered with the original base offset; gaps with OUT_OF_ORDER_SEQUENCE_NUMBER;
 * an older epoch with INVALID_PRODUCER_EPOCH.
 */
export class ProducerStateTable {
  private readonly producers = new Map<number, ProducerEntry>();

  check(producerId: number, epoch: number, firstSeq: number, recordCount: number): SequenceCheck {
    const entry = this.producers.get(producerId);
    const lastSeq = (firstSeq + recordCount - 1) % 0x80000000;
    if (!entry) {
      // The broker only knows a producer from its first batch on this partition; it must start at sequence 0.
      return firstSeq === 0
        ? { kind: 'append' }
        : { kind: 'error', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, message: `first batch of producer ${producerId} starts at sequence ${firstSeq}, expected 0` };
    }
    if (epoch < entry.epoch) {
      return { kind: 'error', errorCode: ErrorCode.INVALID_PRODUCER_EPOCH, message: `producer ${producerId} epoch ${epoch} is older than ${entry.epoch}` };
    }
    if (epoch > entry.epoch) {
      return firstSeq === 0
        ? { kind: 'append' }
        : { kind: 'error', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, message: `new epoch ${epoch} must start at sequence 0, got ${firstSeq}` };
    }
    const dup = entry.recent.find((b) => b.firstSeq === firstSeq && b.lastSeq === lastSeq);
    if (dup) return { kind: 'duplicate', baseOffset: dup.baseOffset };
    const last = entry.recent[entry.recent.length - 1];
    const expected = last ? nextSeq(last.lastSeq) : 0;
    if (firstSeq !== expected) {
      return { kind: 'error', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, message: `producer ${producerId} sent sequence ${firstSeq}, expected ${expected}` };
    }
    return { kind: 'append' };
  }

  record(producerId: number, epoch: number, firstSeq: number, recordCount: number, baseOffset: number): void {
    let entry = this.producers.get(producerId);
    if (!entry || entry.epoch !== epoch) {
      entry = { epoch, recent: [] };
      this.producers.set(producerId, entry);
    }
    entry.recent.push({ firstSeq, lastSeq: (firstSeq + recordCount - 1) % 0x80000000, baseOffset });
    if (entry.recent.length > RECENT_BATCHES) entry.recent.shift();
  }
}
