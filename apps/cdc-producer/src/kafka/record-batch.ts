import type { CompressionTypes } from 'kafkajs';
import { writeValue, type OutboundEvent } from '../events/change-mapper';

/**
 * A batch as it crosses into the send thread: records in send order, record i on topic `topics[topicOf[i]]` with key
 * `keys[i]` and value bytes `values[ends[i-1] .. ends[i])`.
 */
export interface PackedBatch {
  topics: string[];
  topicOf: number[];
  keys: string[];
  ends: number[];
  values: ArrayBuffer;
  acks: number;
  compression: CompressionTypes;
}

/**
 * One Kafka batch being filled. Each event's value is written as UTF-8 into the batch's buffer the moment the event
 * is added, so the JSON string dies young in the V8 heap instead of waiting (and being promoted) until the batch is
 * sent; the buffer is reused for a later batch once this one is acknowledged.
 */
export class RecordBatch {
  private readonly topics: string[] = [];
  private readonly topicOf: number[] = [];
  private readonly keys: string[] = [];
  private readonly ends: number[] = [];
  private used = 0;
  /** Sum of the events' `bytes` (the bound the batch is filled to). */
  bytes = 0;
  lastSeq = 0;

  constructor(
    readonly buffer: Buffer,
    /** When its first event was added (for the linger). */
    readonly createdAt: number,
  ) {}

  get count(): number {
    return this.keys.length;
  }

  /** True when the event fits in this batch's count and byte bounds (a first event always does: see `add`). */
  fits(event: OutboundEvent, maxMessages: number, maxBytes: number): boolean {
    return this.count === 0 || (this.count < maxMessages && this.bytes + event.bytes <= maxBytes && this.used + event.valueBytes <= this.buffer.length);
  }

  add(event: OutboundEvent, seq: number): void {
    if (this.used + event.valueBytes > this.buffer.length) throw new RangeError(`a ${event.valueBytes}-byte value does not fit the batch buffer`);
    let topic = this.topics.indexOf(event.topic);
    if (topic < 0) topic = this.topics.push(event.topic) - 1;
    this.used += writeValue(event, this.buffer, this.used);
    this.topicOf.push(topic);
    this.keys.push(event.key);
    this.ends.push(this.used);
    this.bytes += event.bytes;
    this.lastSeq = seq;
  }

  /** The records with their values copied into a buffer of their exact size (to be transferred to the thread). */
  pack(acks: number, compression: CompressionTypes): PackedBatch {
    const values = new ArrayBuffer(this.used);
    this.buffer.copy(new Uint8Array(values), 0, 0, this.used);
    return { topics: this.topics, topicOf: this.topicOf, keys: this.keys, ends: this.ends, values, acks, compression };
  }

  /** Events per topic, for the published-events metric. */
  published(): Array<{ topic: string; count: number }> {
    const counts = this.topics.map((topic) => ({ topic, count: 0 }));
    for (const t of this.topicOf) counts[t]!.count++;
    return counts;
  }
}
