import type { CdcTable } from '@nova/config';
import { writeValue, type OutboundEvent } from '../events/change-mapper';

const INITIAL_BYTES = 256 * 1024;
/** A buffer grown past this by a large transaction is given back after it. */
const KEPT_BYTES = 2 * 1024 * 1024;

/**
 * Publishes only each row's last event of a transaction. Every event of a transaction carries one version (its commit
 * LSN), and one row's events can go to different topics — an insert to `message_persisted`, a delete in the same
 * transaction to `message_deleted` — which a consumer reads in no defined order relative to each other. At equal
 * versions it could not tell which came last (the end-to-end chaos test caught deleted rows coming back this way), so
 * a transaction publishes each row's final state once. That is also all a search index needs.
 *
 * The open transaction's events wait encoded: each value is written as UTF-8 into one reused buffer (outside the V8
 * heap) the moment it arrives, and only its key and offsets stay on the heap. Holding the events themselves until the
 * commit made every row of a transaction survive young-generation collections and be promoted (~60 % of what the
 * producer promoted in a catch-up), which the old generation then had to collect.
 *
 * Memory is bounded: at `maxRows` distinct rows the buffer is published early. A row changed again after that point
 * of a transaction that large, and moved between the persisted and deleted topics by that change, keeps the
 * ambiguity; `onOverflow` lets the caller log it.
 */
export class TransactionCoalescer {
  private buffer = Buffer.allocUnsafeSlow(INITIAL_BYTES);
  private used = 0;
  private readonly topics: string[] = [];
  private readonly keys: string[] = [];
  private readonly ends: number[] = [];
  private readonly sizes: number[] = [];
  /** Entries replaced by a later change of their row. */
  private readonly replaced: boolean[] = [];
  /** Per table: row key -> index of its latest entry. */
  private readonly latest = new Map<CdcTable, Map<string, number>>();
  private rows = 0;

  constructor(
    private readonly maxRows: number,
    private readonly onOverflow: (rows: number) => void = () => undefined,
  ) {}

  /**
   * Buffers a row's event, replacing an earlier one of the same row; at the bound, publishes everything buffered.
   * `publish` must copy a value before it returns: the bytes are overwritten afterwards.
   */
  add(table: CdcTable, event: OutboundEvent, publish: (event: OutboundEvent) => void): void {
    let latest = this.latest.get(table);
    if (!latest) this.latest.set(table, (latest = new Map()));
    const earlier = latest.get(event.key);
    if (earlier === undefined) this.rows++;
    else this.replaced[earlier] = true;
    latest.set(event.key, this.keys.length);
    this.append(event);
    if (this.rows < this.maxRows) return;
    this.onOverflow(this.rows);
    this.drain(publish);
  }

  /** At commit: each row's final event, in the order of their last change (`publish` as in `add`). */
  drain(publish: (event: OutboundEvent) => void): void {
    let start = 0;
    for (let i = 0; i < this.keys.length; i++) {
      const end = this.ends[i]!;
      if (!this.replaced[i]) {
        publish({ topic: this.topics[i]!, key: this.keys[i]!, value: this.buffer.subarray(start, end), valueBytes: end - start, bytes: this.sizes[i]! });
      }
      start = end;
    }
    this.topics.length = this.keys.length = this.ends.length = this.sizes.length = this.replaced.length = 0;
    this.latest.clear();
    this.rows = 0;
    this.used = 0;
    if (this.buffer.length > KEPT_BYTES) this.buffer = Buffer.allocUnsafeSlow(INITIAL_BYTES);
  }

  private append(event: OutboundEvent): void {
    if (this.used + event.valueBytes > this.buffer.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(2 * this.buffer.length, this.used + event.valueBytes));
      this.buffer.copy(grown, 0, 0, this.used);
      this.buffer = grown;
    }
    this.used += writeValue(event, this.buffer, this.used);
    this.topics.push(event.topic);
    this.keys.push(event.key);
    this.ends.push(this.used);
    this.sizes.push(event.bytes);
    this.replaced.push(false);
  }
}
