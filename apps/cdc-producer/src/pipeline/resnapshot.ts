import type { Kafka } from 'kafkajs';
import type { CdcTable, ProducerConfig } from '@nova/config';
import { formatLsn } from '@nova/events';
import type { Logger } from '@nova/logger';
import type { Sql } from '@nova/postgres';
import type { ProducerMetrics } from '../app/producer-metrics';
import { ChangeMapper } from '../events/change-mapper';
import { ProducerError } from '../errors';
import { ensureTopics } from '../kafka/ensure-topics';
import { KafkaSink } from '../kafka/kafka-sink';
import { ThreadedProducer } from '../kafka/threaded-producer';
import { checkReplicaIdentity, createSlot } from '../postgres/replication-setup';
import { publishSnapshot } from './snapshot-publisher';

export interface ResnapshotResult {
  table: CdcTable;
  rows: number;
  consistentPoint: string;
}

/**
 * Re-publishes every row of one table (for a reindex) while the producer keeps streaming. A TEMPORARY slot exports a
 * snapshot whose consistent point P is exact: the snapshot holds every commit before P and none after, so its events
 * are versioned P and any streamed change to the same row (version > P, or < P and already included) orders
 * correctly under versioned writes. The temporary slot disappears with its connection.
 */
export async function resnapshotTable(deps: { config: ProducerConfig; sql: Sql; kafka: Kafka; logger: Logger; metrics: ProducerMetrics }, table: CdcTable): Promise<ResnapshotResult> {
  const { config, sql, logger, metrics } = deps;
  if (!config.cdc.tables.includes(table)) throw new ProducerError(`table ${table} is not in CDC_TABLES (${config.cdc.tables.join(', ')})`, 'TABLE_MISSING', false);
  await checkReplicaIdentity(sql, [table]);
  let fatal: ProducerError | undefined;
  const sink = new KafkaSink({
    createProducer: () => new ThreadedProducer({ brokers: config.kafka.brokers, clientId: config.kafka.clientId }, logger),
    logger,
    ...config.kafka,
    maxInFlightEvents: config.cdc.maxInFlightEvents,
    maxInFlightBytes: config.cdc.maxInFlightBytes,
    onAcked: (published) => metrics.countPublished(published),
    onRetry: () => metrics.errors.inc({ kind: 'kafka' }),
    onFatal: (err) => {
      fatal = err;
      void sink.stop();
    },
  });
  const slot = `${config.cdc.slotName}_resnap_${process.pid}`.slice(0, 63);
  await sink.start();
  const k = config.kafka;
  if (k.createTopics) await ensureTopics(deps.kafka, Object.values(k.topics), k.topicPartitions, k.topicReplicationFactor);
  const created = await createSlot(config.databaseUrl, slot, { exportSnapshot: true, temporary: true });
  try {
    const rows = await publishSnapshot({
      sql,
      sink,
      mapper: new ChangeMapper(config.kafka.topics),
      metrics,
      logger,
      snapshotName: created.snapshotName!,
      consistentPoint: created.consistentPoint,
      tables: [table],
      chunkRows: config.cdc.snapshotChunkRows,
      onImported: () => created.close(),
    });
    if (fatal) throw fatal;
    return { table, rows, consistentPoint: formatLsn(created.consistentPoint) };
  } finally {
    await created.close();
    await sink.stop();
  }
}
