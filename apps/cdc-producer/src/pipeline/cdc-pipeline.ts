import type { Kafka } from 'kafkajs';
import type { ProducerConfig } from '@nova/config';
import { formatLsn } from '@nova/events';
import type { Logger } from '@nova/logger';
import type { Sql } from '@nova/postgres';
import type { ProducerMetrics } from '../app/producer-metrics';
import { ChangeMapper, type OutboundEvent } from '../events/change-mapper';
import { ProducerError, errorMessage, isFatalPostgresError } from '../errors';
import { ensureTopics } from '../kafka/ensure-topics';
import { KafkaSink } from '../kafka/kafka-sink';
import { ThreadedProducer } from '../kafka/threaded-producer';
import { PgoutputSource, type SourceHandler } from '../postgres/pgoutput-source';
import * as setup from '../postgres/replication-setup';
import { backoffMs, sleep } from './backoff';
import { publishSnapshot } from './snapshot-publisher';
import { TransactionCoalescer } from './transaction-coalescer';
import { WalCheckpointer } from './wal-checkpointer';

export type PipelineState = 'starting' | 'snapshot' | 'streaming' | 'reconnecting' | 'stopping';

export interface CdcPipelineDeps {
  config: ProducerConfig;
  sql: Sql;
  kafka: Kafka;
  logger: Logger;
  metrics: ProducerMetrics;
  onState(state: PipelineState): void;
}

/**
 * One leadership term: checks and prepares PostgreSQL (publication, replica identity, slot, initial snapshot), then
 * streams WAL changes to Kafka until `signal` aborts. Source (pgoutput) -> mapper -> sink (Kafka) -> checkpointer ->
 * acknowledgement to PostgreSQL. Transient stream errors are retried here with backoff; fatal ones are thrown.
 */
export class CdcPipeline {
  private readonly log: Logger;
  private fatal: ProducerError | undefined;

  constructor(private readonly deps: CdcPipelineDeps) {
    this.log = deps.logger.child({ component: 'pipeline' });
  }

  async run(signal: AbortSignal): Promise<void> {
    const { config, sql, metrics } = this.deps;
    const cdc = config.cdc;
    const mapper = new ChangeMapper(config.kafka.topics);
    let checkpointer: WalCheckpointer | undefined;
    let source: PgoutputSource | undefined;
    const sink = new KafkaSink({
      createProducer: () => new ThreadedProducer({ brokers: config.kafka.brokers, clientId: config.kafka.clientId }, this.deps.logger),
      logger: this.deps.logger,
      ...config.kafka,
      maxInFlightEvents: cdc.maxInFlightEvents,
      maxInFlightBytes: cdc.maxInFlightBytes,
      onAcked: (published, lastSeq) => {
        metrics.countPublished(published);
        checkpointer?.ackedThrough(lastSeq);
        metrics.inFlightEvents.set(sink.inFlight());
      },
      onRetry: () => metrics.errors.inc({ kind: 'kafka' }),
      onFatal: (err) => {
        this.fatal ??= err;
        void source?.stop();
      },
    });
    const stopSink = () => sink.stop();
    signal.addEventListener('abort', stopSinkIfIdle, { once: true });
    function stopSinkIfIdle() {
      if (!source) void stopSink();
    }

    try {
      this.deps.onState('starting');
      await sink.start();
      if (config.kafka.createTopics) await this.retrying(signal, 'create topics', () => this.createTopics());
      await setup.checkWalLevel(sql);
      await setup.checkReplicaIdentity(sql, cdc.tables);
      await setup.ensurePublication(sql, cdc.publicationName, cdc.tables);
      await setup.ensureStateTable(sql, cdc.stateTable);
      await this.prepareSlot(sink, mapper, signal);
      if (signal.aborted) return;
      const info = await setup.slotInfo(sql, cdc.slotName);
      const start = info?.confirmedFlushLsn ?? 0n;
      checkpointer = new WalCheckpointer(start, (p) => {
        if (p.commitTimeMs !== null) metrics.commitToAck.observe(Math.max(0, Date.now() - p.commitTimeMs) / 1000);
        metrics.durableLsn.set(Number(checkpointer!.durableLsn()));
      });
      this.log.info('Streaming from slot', { slot: cdc.slotName, lsn: formatLsn(start) });
      const cp = checkpointer;
      const monitor = setInterval(() => void this.heartbeat(), cdc.heartbeatIntervalMs);
      try {
        await this.stream(signal, sink, cp, mapper, (s) => (source = s));
      } finally {
        clearInterval(monitor);
      }
    } finally {
      signal.removeEventListener('abort', stopSinkIfIdle);
      await sink.stop();
    }
    if (this.fatal) throw this.fatal;
  }

  private async stream(
    signal: AbortSignal,
    sink: KafkaSink,
    checkpointer: WalCheckpointer,
    mapper: ChangeMapper,
    setSource: (s: PgoutputSource) => void,
  ): Promise<void> {
    const { config, metrics } = this.deps;
    for (let attempt = 0; !signal.aborted && !this.fatal; attempt++) {
      const source = new PgoutputSource({
        databaseUrl: config.databaseUrl,
        slotName: config.cdc.slotName,
        publicationName: config.cdc.publicationName,
        tables: config.cdc.tables,
        logger: this.deps.logger,
        statusIntervalMs: config.cdc.statusIntervalMs,
        durableLsn: () => checkpointer.durableLsn(),
      });
      setSource(source);
      let lastYield = Date.now();
      const coalescer = new TransactionCoalescer(config.cdc.maxInFlightEvents, (rows) =>
        this.log.warn('Transaction larger than the coalescing buffer; publishing part of it early', { rows }),
      );
      const send = (event: OutboundEvent) => void sink.send(event);
      const handler: SourceHandler = {
        onChange: (table, operation, row, position) => {
          try {
            coalescer.add(table, mapper.map(table, operation, row, position), send);
          } catch (err) {
            metrics.errors.inc({ kind: 'decode' });
            throw new ProducerError(`cannot turn a ${table} ${operation} at ${formatLsn(position.lsn)} into an event: ${errorMessage(err)}`, 'DECODE_FAILED', false);
          }
          if (!sink.hasCapacity()) {
            metrics.inFlightEvents.set(sink.inFlight());
            lastYield = Date.now();
            return sink.waitForCapacity();
          }
          // pg-logical-replication hands queued messages over in a loop of microtasks; without a macrotask break now
          // and then, timers (linger) and Kafka responses would wait until the whole in-flight bound is read.
          if (Date.now() - lastYield >= 5) {
            lastYield = Date.now();
            return new Promise<void>((resolve) => setImmediate(resolve));
          }
          return undefined;
        },
        onPosition: (lsn, commitTimeMs) => {
          coalescer.drain(send);
          metrics.inFlightEvents.set(sink.inFlight());
          checkpointer.markPosition({ lsn, lastSeq: sink.lastSeq(), commitTimeMs });
        },
        onStreaming: () => {
          attempt = 0;
          metrics.streaming.set(1);
          this.deps.onState('streaming');
        },
      };
      // SIGTERM / leadership end: stop reading, let Kafka acknowledge what was read, acknowledge it, disconnect.
      let drained: Promise<void> | undefined;
      const drain = () => {
        drained = (async () => {
          this.deps.onState('stopping');
          source.pause();
          await sink.flush();
          await source.acknowledgeDurable();
          this.log.info('Drained', { lsn: formatLsn(checkpointer.durableLsn()) });
          await source.stop();
        })();
      };
      signal.addEventListener('abort', drain, { once: true });
      try {
        await source.run(handler);
      } catch (err) {
        metrics.streaming.set(0);
        if (err instanceof ProducerError && !err.retryable) throw err;
        if (isFatalPostgresError(err) && !isMissingSlot(err)) {
          throw new ProducerError(`replication failed: ${errorMessage(err)}`, 'POSTGRES_FATAL', false, { cause: err });
        }
        if (signal.aborted || this.fatal) break;
        metrics.errors.inc({ kind: 'replication' });
        this.deps.onState('reconnecting');
        this.log.warn('Replication interrupted; reconnecting', { err: errorMessage(err), attempt });
        if (isMissingSlot(err)) throw new ProducerError('replication slot disappeared; recreating it', 'POSTGRES_FATAL', true, { cause: err });
        await sleep(backoffMs(attempt), signal);
      } finally {
        signal.removeEventListener('abort', drain);
        metrics.streaming.set(0);
        if (drained) await drained;
      }
    }
  }

  /** Creates the slot (and publishes the initial snapshot) unless a slot with a completed snapshot exists. */
  private async prepareSlot(sink: KafkaSink, mapper: ChangeMapper, signal: AbortSignal): Promise<void> {
    const { config, sql } = this.deps;
    const { slotName, stateTable } = config.cdc;
    const info = await setup.slotInfo(sql, slotName);
    if (info && (info.slotType !== 'logical' || info.plugin !== 'pgoutput')) {
      throw new ProducerError(`replication slot ${slotName} exists but is ${info.slotType}/${info.plugin}, not logical/pgoutput; choose another CDC_SLOT_NAME`, 'POSTGRES_FATAL', false);
    }
    if (info && (await setup.snapshotCompleted(sql, stateTable, slotName))) return;
    if (info) {
      // A snapshot died half-way: some of its rows are already in Kafka. Dropping the slot would lose the changes made
      // since (a row published by the dead snapshot and deleted before a new slot would never get its delete), so the
      // slot keeps its position, the snapshot is redone from a fresh exported snapshot at P (versioned P - 1), and
      // streaming then resumes from the slot: every change since the first attempt follows, ordered by version.
      this.log.warn('Slot exists but its initial snapshot never completed; redoing the snapshot, then streaming from the slot', { slot: slotName });
      if (config.cdc.initialSnapshot) await this.redoSnapshot(sink, mapper);
      if (signal.aborted || this.fatal) return;
      await setup.markSnapshotCompleted(sql, stateTable, slotName);
      return;
    }
    await setup.markSnapshotStarted(sql, stateTable, slotName, null);
    const created = await setup.createSlot(config.databaseUrl, slotName, { exportSnapshot: config.cdc.initialSnapshot });
    try {
      const cp = formatLsn(created.consistentPoint);
      await setup.markSnapshotStarted(sql, stateTable, slotName, cp);
      this.log.info('Created replication slot', { slot: slotName, lsn: cp });
      if (config.cdc.initialSnapshot && created.snapshotName) {
        this.deps.onState('snapshot');
        await this.publishSnapshotOf(created, created.snapshotName, sink, mapper);
      }
      if (signal.aborted || this.fatal) return;
      await setup.markSnapshotCompleted(sql, stateTable, slotName);
    } finally {
      await created.close();
    }
  }

  /** The initial snapshot again, from a temporary slot's exported snapshot (the permanent slot keeps its position). */
  private async redoSnapshot(sink: KafkaSink, mapper: ChangeMapper): Promise<void> {
    const { config } = this.deps;
    this.deps.onState('snapshot');
    const temp = await setup.createSlot(config.databaseUrl, `${config.cdc.slotName}_snap_${process.pid}`.slice(0, 63), { exportSnapshot: true, temporary: true });
    try {
      await this.publishSnapshotOf(temp, temp.snapshotName!, sink, mapper);
    } finally {
      await temp.close();
    }
  }

  /** Publishes the rows of `slot`'s exported snapshot (the slot is closed once the snapshot is imported). */
  private async publishSnapshotOf(slot: setup.CreatedSlot, snapshotName: string, sink: KafkaSink, mapper: ChangeMapper): Promise<void> {
    const { config, sql, metrics } = this.deps;
    try {
      await publishSnapshot({
        sql,
        sink,
        mapper,
        metrics,
        logger: this.deps.logger,
        snapshotName,
        consistentPoint: slot.consistentPoint,
        tables: config.cdc.tables,
        chunkRows: config.cdc.snapshotChunkRows,
        onImported: () => slot.close(),
      });
    } catch (err) {
      metrics.errors.inc({ kind: 'snapshot' });
      throw err;
    }
  }

  private async createTopics(): Promise<void> {
    const k = this.deps.config.kafka;
    const created = await ensureTopics(this.deps.kafka, Object.values(k.topics), k.topicPartitions, k.topicReplicationFactor);
    if (created.length) this.log.info('Created topics', { topics: created, partitions: k.topicPartitions });
  }

  private async heartbeat(): Promise<void> {
    const { sql, config, metrics } = this.deps;
    try {
      await sql`select pg_logical_emit_message(false, 'nova_cdc_heartbeat', now()::text)`;
      metrics.heartbeats.inc();
      const lag = await setup.slotLagBytes(sql, config.cdc.slotName);
      if (lag === undefined) return;
      metrics.slotLagBytes.set(lag);
      if (lag > config.cdc.slotLagWarnBytes) {
        this.log.warn('Replication slot lag above threshold', { slot: config.cdc.slotName, lagBytes: lag, thresholdBytes: config.cdc.slotLagWarnBytes });
      }
    } catch (err) {
      metrics.errors.inc({ kind: 'postgres' });
      this.log.warn('Heartbeat failed', { err: errorMessage(err) });
    }
  }

  private async retrying<T>(signal: AbortSignal, what: string, fn: () => Promise<T>): Promise<T | undefined> {
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        return await fn();
      } catch (err) {
        this.deps.metrics.errors.inc({ kind: 'kafka' });
        this.log.warn(`Could not ${what}; retrying`, { err: errorMessage(err), attempt });
        await sleep(backoffMs(attempt), signal);
      }
    }
    return undefined;
  }
}

function isMissingSlot(err: unknown): boolean {
  return (err as { code?: unknown })?.code === '42704' && /replication slot/i.test(errorMessage(err));
}
