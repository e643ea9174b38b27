import { z } from 'zod';
import { bool, host, logLevel, parseEnv, port, positiveInt, postgresUrl, type Env } from './env';
import { kafkaSchema, topicNames } from './shared.config';

/** The tables the producer knows how to turn into events. */
export const CDC_TABLES = ['messages', 'posts'] as const;
export type CdcTable = (typeof CDC_TABLES)[number];

const identifier = (def: string) =>
  z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'expected a lowercase PostgreSQL identifier ([a-z_][a-z0-9_]*, at most 63 chars)' })
    .default(def);

const tableList = z
  .string()
  .default(CDC_TABLES.join(','))
  .transform((v) => [...new Set(v.split(',').map((t) => t.trim()).filter(Boolean))])
  .refine((list) => list.length > 0 && list.every((t) => (CDC_TABLES as readonly string[]).includes(t)), {
    message: `expected a comma-separated subset of ${CDC_TABLES.join(', ')}`,
  })
  .transform((list) => list as CdcTable[]);

/** kafkajs ships GZIP only; Snappy/LZ4/ZSTD need codecs that are not installed, so they are refused here. */
const compression = z.enum(['none', 'gzip'], { message: "expected 'none' or 'gzip'" }).default('none');

const schema = z.object({
  LOG_LEVEL: logLevel,
  HOST: host,
  PORT: port(8087),
  DATABASE_URL: postgresUrl,
  ...kafkaSchema,
  /** Permanent logical replication slot (pgoutput). */
  CDC_SLOT_NAME: identifier('nova_search_cdc'),
  /** Publication over the indexed tables; created (or extended) if missing. */
  CDC_PUBLICATION_NAME: identifier('nova_search_cdc'),
  CDC_TABLES: tableList,
  /** Small bookkeeping table (snapshot completion per slot), created if missing. */
  CDC_STATE_TABLE: identifier('nova_cdc_state'),
  /** Read existing rows from the slot's exported snapshot when the slot is created. */
  CDC_INITIAL_SNAPSHOT: bool(true),
  CDC_SNAPSHOT_CHUNK_ROWS: positiveInt(2_000),
  /** `pg_logical_emit_message` heartbeat, so that an idle slot advances; also how often slot lag is measured. */
  CDC_HEARTBEAT_INTERVAL_MS: positiveInt(10_000),
  CDC_SLOT_LAG_WARN_BYTES: positiveInt(256 * 1024 * 1024),
  /** How often the durable position is sent to PostgreSQL (standby status update). */
  CDC_STATUS_INTERVAL_MS: positiveInt(1_000),
  /** Back-pressure: events read from the WAL but not yet acknowledged by Kafka, at most. */
  CDC_MAX_IN_FLIGHT_EVENTS: positiveInt(10_000),
  CDC_MAX_IN_FLIGHT_BYTES: positiveInt(4 * 1024 * 1024),
  /** Hot standby: how often a waiting instance tries the advisory lock. */
  CDC_STANDBY_POLL_MS: positiveInt(1_000),
  /** Producer batches are bounded in count, bytes and time. */
  KAFKA_BATCH_MAX_MESSAGES: positiveInt(2_000),
  KAFKA_BATCH_MAX_BYTES: positiveInt(512 * 1024),
  KAFKA_LINGER_MS: positiveInt(5),
  KAFKA_COMPRESSION: compression,
  KAFKA_CREATE_TOPICS: bool(true),
  KAFKA_TOPIC_PARTITIONS: positiveInt(3),
  KAFKA_TOPIC_REPLICATION_FACTOR: positiveInt(1),
});

export function loadProducerConfig(env: Env) {
  const e = parseEnv('cdc-producer', schema, env);
  return {
    logLevel: e.LOG_LEVEL,
    http: { host: e.HOST, port: e.PORT },
    databaseUrl: e.DATABASE_URL,
    kafka: {
      brokers: e.KAFKA_BROKERS,
      clientId: e.KAFKA_CLIENT_ID ?? 'nova-cdc-producer',
      topics: topicNames(e),
      batchMaxMessages: e.KAFKA_BATCH_MAX_MESSAGES,
      batchMaxBytes: e.KAFKA_BATCH_MAX_BYTES,
      lingerMs: e.KAFKA_LINGER_MS,
      compression: e.KAFKA_COMPRESSION,
      createTopics: e.KAFKA_CREATE_TOPICS,
      topicPartitions: e.KAFKA_TOPIC_PARTITIONS,
      topicReplicationFactor: e.KAFKA_TOPIC_REPLICATION_FACTOR,
    },
    cdc: {
      slotName: e.CDC_SLOT_NAME,
      publicationName: e.CDC_PUBLICATION_NAME,
      tables: e.CDC_TABLES,
      stateTable: e.CDC_STATE_TABLE,
      initialSnapshot: e.CDC_INITIAL_SNAPSHOT,
      snapshotChunkRows: e.CDC_SNAPSHOT_CHUNK_ROWS,
      heartbeatIntervalMs: e.CDC_HEARTBEAT_INTERVAL_MS,
      slotLagWarnBytes: e.CDC_SLOT_LAG_WARN_BYTES,
      statusIntervalMs: e.CDC_STATUS_INTERVAL_MS,
      maxInFlightEvents: e.CDC_MAX_IN_FLIGHT_EVENTS,
      maxInFlightBytes: e.CDC_MAX_IN_FLIGHT_BYTES,
      standbyPollMs: e.CDC_STANDBY_POLL_MS,
    },
  };
}
export type ProducerConfig = ReturnType<typeof loadProducerConfig>;
