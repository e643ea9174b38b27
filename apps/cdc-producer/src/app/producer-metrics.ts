import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type ErrorKind = 'kafka' | 'postgres' | 'replication' | 'decode' | 'truncate' | 'leadership' | 'snapshot';

/** The producer's Prometheus metrics (`nova_producer_*`). */
export class ProducerMetrics {
  readonly eventsPublished: Counter<'topic'>;
  readonly slotLagBytes: Gauge;
  readonly commitToAck: Histogram;
  readonly snapshotRows: Counter<'table'>;
  readonly snapshotRowsTotal: Gauge<'table'>;
  readonly snapshotRunning: Gauge<'table'>;
  readonly errors: Counter<'kind'>;
  readonly streaming: Gauge;
  readonly leader: Gauge;
  readonly inFlightEvents: Gauge;
  readonly durableLsn: Gauge;
  readonly heartbeats: Counter;

  /** Counts a batch's acknowledged events, given per topic. */
  countPublished(published: ReadonlyArray<{ topic: string; count: number }>): void {
    for (const { topic, count } of published) this.eventsPublished.inc({ topic }, count);
  }

  constructor(registry: Registry) {
    const registers = [registry];
    this.eventsPublished = new Counter({
      name: 'nova_producer_events_published_total',
      help: 'Events acknowledged by Kafka, per topic',
      labelNames: ['topic'],
      registers,
    });
    this.slotLagBytes = new Gauge({
      name: 'nova_producer_slot_lag_bytes',
      help: 'pg_current_wal_lsn() minus the slot confirmed_flush_lsn (WAL the slot pins)',
      registers,
    });
    this.commitToAck = new Histogram({
      name: 'nova_producer_commit_to_ack_seconds',
      help: 'From PostgreSQL commit to Kafka acknowledging every event of the transaction',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.015, 0.02, 0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.snapshotRows = new Counter({
      name: 'nova_producer_snapshot_rows_total',
      help: 'Rows read and published by snapshots, per table',
      labelNames: ['table'],
      registers,
    });
    this.snapshotRowsTotal = new Gauge({
      name: 'nova_producer_snapshot_rows_expected',
      help: 'Rows the running snapshot of a table will read (exact count inside the snapshot)',
      labelNames: ['table'],
      registers,
    });
    this.snapshotRunning = new Gauge({
      name: 'nova_producer_snapshot_running',
      help: '1 while a snapshot of the table is being read',
      labelNames: ['table'],
      registers,
    });
    this.errors = new Counter({ name: 'nova_producer_errors_total', help: 'Errors by kind', labelNames: ['kind'], registers });
    this.streaming = new Gauge({ name: 'nova_producer_streaming', help: '1 while replication is streaming', registers });
    this.leader = new Gauge({ name: 'nova_producer_leader', help: '1 while this instance holds the slot lock', registers });
    this.inFlightEvents = new Gauge({ name: 'nova_producer_in_flight_events', help: 'Events read but not yet acknowledged by Kafka', registers });
    this.durableLsn = new Gauge({ name: 'nova_producer_durable_lsn', help: 'WAL position acknowledged to PostgreSQL (bytes)', registers });
    this.heartbeats = new Counter({ name: 'nova_producer_heartbeats_total', help: 'Heartbeat messages emitted into the WAL', registers });
    for (const kind of ['kafka', 'postgres', 'replication', 'decode', 'truncate', 'leadership', 'snapshot'] as ErrorKind[]) this.errors.inc({ kind }, 0);
  }
}
