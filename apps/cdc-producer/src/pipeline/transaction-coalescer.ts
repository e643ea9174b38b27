import type { CdcTable } from '@nova/config';
import type { OutboundEvent } from '../events/change-mapper';

/**
 * Publishes only each row's last event of a transaction. Every event of a transaction carries one version (its commit
 * LSN), and one row's events can go to different topics — an insert to `message_persisted`, a delete in the same
 * transaction to `message_deleted` — which a consumer reads in no defined order relative to each other. At equal
 * versions it could not tell which came last (the end-to-end chaos test caught deleted rows coming back this way), so
 * a transaction publishes each row's final state once. That is also all a search index needs.
 *
 * Memory is bounded: at `maxRows` distinct rows the buffer is published early. A row changed again after that point
 * of a transaction that large, and moved between the persisted and deleted topics by that change, keeps the
 * ambiguity; `onOverflow` lets the caller log it.
 */
export class TransactionCoalescer {
  private readonly pending = new Map<string, OutboundEvent>();

  constructor(
    private readonly maxRows: number,
    private readonly onOverflow: (rows: number) => void = () => undefined,
  ) {}

  /** Buffers a row's event (replacing an earlier one of the same row); returns what must be published now. */
  add(table: CdcTable, event: OutboundEvent): OutboundEvent[] {
    const key = `${table}/${event.key}`;
    this.pending.delete(key); // keep the order of each row's last change
    this.pending.set(key, event);
    if (this.pending.size < this.maxRows) return [];
    this.onOverflow(this.pending.size);
    return this.drain();
  }

  /** At commit: each row's final event, in the order of their last change. */
  drain(): OutboundEvent[] {
    const events = [...this.pending.values()];
    this.pending.clear();
    return events;
  }
}
