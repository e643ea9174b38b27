/**
 * Decides which WAL position may be acknowledged to PostgreSQL: the position of a transaction end (or of a heartbeat
 * message) becomes durable only once Kafka has acknowledged every event handed to the sink before it. Events carry
 * increasing sequence numbers; the sink reports "everything up to sequence N is acknowledged".
 */
export interface PendingPosition {
  /** WAL position to acknowledge once durable: the end of the commit record (or of the heartbeat message). */
  lsn: bigint;
  /** Sequence number of the last event emitted before this position (0 if none). */
  lastSeq: number;
  /** Commit time in ms since the epoch, for the commit-to-ack latency (null for heartbeats). */
  commitTimeMs: number | null;
}

export class WalCheckpointer {
  private readonly pending: PendingPosition[] = [];
  private head = 0;
  private ackedSeq = 0;
  private durable: bigint;

  constructor(
    startLsn: bigint,
    private readonly onDurable: (position: PendingPosition) => void = () => undefined,
  ) {
    this.durable = startLsn;
  }

  /** The highest position whose every preceding event is in Kafka. Never moves backwards. */
  durableLsn(): bigint {
    return this.durable;
  }

  /** Number of positions waiting for Kafka. */
  pendingCount(): number {
    return this.pending.length - this.head;
  }

  /** Registers a transaction end (or heartbeat) reached after the event with sequence `lastSeq`. */
  markPosition(position: PendingPosition): void {
    if (position.lsn <= this.durable) return; // already durable (e.g. a replayed transaction)
    this.pending.push(position);
    this.drain();
  }

  /** Kafka acknowledged every event with sequence <= `seq`. */
  ackedThrough(seq: number): void {
    if (seq > this.ackedSeq) this.ackedSeq = seq;
    this.drain();
  }

  private drain(): void {
    while (this.head < this.pending.length) {
      const next = this.pending[this.head]!;
      if (next.lastSeq > this.ackedSeq) break;
      this.head++;
      if (next.lsn > this.durable) this.durable = next.lsn;
      this.onDurable(next);
    }
    if (this.head > 1024 && this.head * 2 > this.pending.length) {
      this.pending.splice(0, this.head);
      this.head = 0;
    }
  }
}
