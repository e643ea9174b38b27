import { z } from 'zod';
import { bool, brokerList, host, logLevel, nonNegativeInt, parseEnv, port, positiveInt } from './env';
import { elasticsearchSchema, kafkaTopicsSchema, topicNames } from './shared.config';
import type { Env } from './env';

const topicList = z
  .string()
  .transform((v) => v.split(',').map((t) => t.trim()).filter(Boolean))
  .refine((list) => list.every((t) => /^[a-zA-Z0-9._-]{1,249}$/.test(t)), {
    message: 'expected a comma-separated list of Kafka topic names',
  });

const schema = z.object({
  LOG_LEVEL: logLevel,
  HOST: host,
  PORT: port(8088),
  // Optional, as in the original service: without it the worker logs that it skips consuming.
  KAFKA_BROKERS: brokerList.optional(),
  KAFKA_CLIENT_ID: z.string().optional(),
  KAFKA_SEARCH_GROUP_ID: z.string().min(1).default('nova-search-service'),
  ...kafkaTopicsSchema,
  ...elasticsearchSchema,
  /** Debezium change-event topics (raw or unwrapped), consumed alongside ours; empty by default. */
  KAFKA_DEBEZIUM_TOPICS: topicList.optional(),
  /** A new consumer group starts at the earliest offset (every retained event gets indexed). */
  INDEXER_FROM_BEGINNING: bool(true),
  /** Partitions processed at once per group member (one batch in flight per partition). */
  INDEXER_PARTITIONS_CONCURRENCY: positiveInt(6),
  /**
   * Consumer group members per process, each with its own fetch loop: one fetches and prepares while another's bulk is
   * written (a kafkajs member fetches only once its previous fetch is fully processed). 3: the search server had a
   * bulk to work on 97 % of the time instead of 67 % with 1 (bench:indexer, 3 partitions).
   */
  INDEXER_CONSUMERS: positiveInt(3),
  /**
   * Fetch sizes (kafkajs maxBytes / maxBytesPerPartition): what one fetch may bring into memory. 2 MiB per partition
   * (was 256 KiB): over a backlog a fetch brings several producer batches, so a batch is several chunks whose bulks
   * follow each other (the next prepared during the one before) and fewer fetch round trips leave the search server
   * idle: 445 bulks instead of 600 for 200,000 events, and +3 % of the two cores busy in bench:indexer. 6 MiB in
   * all: three backlogged partitions per fetch (a member owning more does not serve one at a time).
   */
  INDEXER_FETCH_MAX_BYTES: positiveInt(6 * 1024 * 1024),
  INDEXER_FETCH_MAX_BYTES_PER_PARTITION: positiveInt(2 * 1024 * 1024),
  INDEXER_SESSION_TIMEOUT_MS: positiveInt(30_000),
  INDEXER_HEARTBEAT_INTERVAL_MS: positiveInt(3_000),
  /** Dead-letter topic: `<source topic><suffix>` unless a single fixed topic is given. */
  INDEXER_DLQ_TOPIC_SUFFIX: z.string().regex(/^[a-zA-Z0-9._-]{1,40}$/, { message: 'expected topic-name characters' }).default('.dlq'),
  INDEXER_DLQ_TOPIC: z.string().regex(/^[a-zA-Z0-9._-]{1,249}$/, { message: 'expected a Kafka topic name' }).optional(),
  /** Bulk requests are bounded by both. */
  INDEXER_BULK_MAX_DOCS: positiveInt(500),
  INDEXER_BULK_MAX_BYTES: positiveInt(5 * 1024 * 1024),
  /** Per-item retries (429, 5xx) with exponential backoff and full jitter, before the partition is paused. */
  INDEXER_RETRY_INITIAL_MS: positiveInt(100),
  INDEXER_RETRY_MAX_MS: positiveInt(10_000),
  INDEXER_RETRY_MAX_ATTEMPTS: positiveInt(8),
  /** Tombstones (deleted documents) are purged once older than the horizon (default 24 h); 0 disables the job. */
  INDEXER_TOMBSTONE_HORIZON_MS: positiveInt(24 * 60 * 60 * 1000),
  INDEXER_PURGE_INTERVAL_MS: nonNegativeInt(10 * 60 * 1000),
  /** refresh_interval of the indices the worker creates (e.g. `1s`, `30s`, `-1`). */
  ELASTICSEARCH_REFRESH_INTERVAL: z
    .string()
    .regex(/^(-1|\d+(ms|s|m|h))$/, { message: 'expected an Elasticsearch time value such as 1s or -1' })
    .default('1s'),
  ELASTICSEARCH_REQUEST_TIMEOUT_MS: positiveInt(30_000),
});

export function loadIndexerConfig(env: Env) {
  const e = parseEnv('indexer-worker', schema, env);
  return {
    logLevel: e.LOG_LEVEL,
    http: { host: e.HOST, port: e.PORT },
    kafka: e.KAFKA_BROKERS
      ? { brokers: e.KAFKA_BROKERS, clientId: e.KAFKA_CLIENT_ID ?? 'nova-indexer-worker', groupId: e.KAFKA_SEARCH_GROUP_ID, topics: topicNames(e) }
      : undefined,
    elasticsearch: {
      url: e.ELASTICSEARCH_URL,
      username: e.ELASTICSEARCH_USERNAME,
      password: e.ELASTICSEARCH_PASSWORD,
      postIndex: e.ELASTICSEARCH_POST_INDEX,
      messageIndex: e.ELASTICSEARCH_MESSAGE_INDEX,
      refreshInterval: e.ELASTICSEARCH_REFRESH_INTERVAL,
      requestTimeoutMs: e.ELASTICSEARCH_REQUEST_TIMEOUT_MS,
    },
    consumer: {
      debeziumTopics: e.KAFKA_DEBEZIUM_TOPICS ?? [],
      fromBeginning: e.INDEXER_FROM_BEGINNING,
      members: e.INDEXER_CONSUMERS,
      partitionsConcurrency: e.INDEXER_PARTITIONS_CONCURRENCY,
      fetchMaxBytes: e.INDEXER_FETCH_MAX_BYTES,
      fetchMaxBytesPerPartition: e.INDEXER_FETCH_MAX_BYTES_PER_PARTITION,
      sessionTimeoutMs: e.INDEXER_SESSION_TIMEOUT_MS,
      heartbeatIntervalMs: e.INDEXER_HEARTBEAT_INTERVAL_MS,
    },
    deadLetter: { topicSuffix: e.INDEXER_DLQ_TOPIC_SUFFIX, topic: e.INDEXER_DLQ_TOPIC },
    bulk: { maxDocs: e.INDEXER_BULK_MAX_DOCS, maxBytes: e.INDEXER_BULK_MAX_BYTES },
    retry: { initialMs: e.INDEXER_RETRY_INITIAL_MS, maxMs: e.INDEXER_RETRY_MAX_MS, maxAttempts: e.INDEXER_RETRY_MAX_ATTEMPTS },
    tombstones: { horizonMs: e.INDEXER_TOMBSTONE_HORIZON_MS, purgeIntervalMs: e.INDEXER_PURGE_INTERVAL_MS },
  };
}
export type IndexerConfig = ReturnType<typeof loadIndexerConfig>;
