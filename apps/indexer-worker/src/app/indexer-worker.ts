import type { Kafka } from 'kafkajs';
import type { IndexerConfig } from '@nova/config';
import { JavaCompatiblePartitioner, createKafkaClient } from '@nova/kafka';
import type { Logger } from '@nova/logger';
import type { Registry } from 'prom-client';
import { DeadLetterPublisher } from '../dead-letter/dead-letter-publisher';
import { createIndexerMetrics } from '../metrics/indexer-metrics';
import { PartitionProcessor, type BatchOutcome } from '../pipeline/partition-processor';
import { createElasticsearchClient, ElasticsearchRequestError, ElasticsearchSink, ElasticsearchUnavailableError } from '../sink/elasticsearch-sink';
import { ensureIndices } from '../sink/index-bootstrap';
import { backoffDelay } from '../sink/item-outcome';
import { TombstonePurger } from '../sink/tombstone-purger';
import { KafkaSource } from '../source/kafka-source';

export interface IndexerWorkerOptions {
  config: IndexerConfig;
  logger: Logger;
  registry: Registry;
}

export interface IndexerWorker {
  /** Sets up the indices (waiting for Elasticsearch), the dead-letter topics, then runs the consumer. */
  start(): Promise<void>;
  readiness(): { ready: boolean; details: Record<string, unknown> };
  /** Finishes the chunk in flight, commits, leaves the group; safe to call while `start` still waits. */
  stop(): Promise<void>;
}

/** Every topic the worker consumes: ours, then the configured Debezium topics. */
export function sourceTopics(config: IndexerConfig): string[] {
  if (!config.kafka) return [];
  const t = config.kafka.topics;
  return [...new Set([t.messagePersisted, t.messageDeleted, t.postPersisted, t.postDeleted, ...config.consumer.debeziumTopics])];
}

/**
 * Wires source (Kafka), processor, sink (Elasticsearch), dead letters, checkpoints and the purge job, and keeps
 * them going: a blocked partition is paused, Elasticsearch is probed with backoff, and paused partitions resume
 * once it answers.
 */
export function createIndexerWorker(options: IndexerWorkerOptions): IndexerWorker {
  const { config, logger } = options;
  const log = logger.child({ component: 'indexer-worker' });
  const metrics = createIndexerMetrics(options.registry);
  const esClient = createElasticsearchClient(config.elasticsearch);
  const sink = new ElasticsearchSink(esClient, config.bulk, (seconds) => metrics.bulkDuration.observe(seconds));
  const aliases = { message: config.elasticsearch.messageIndex, post: config.elasticsearch.postIndex };
  let stopping = false;
  let elasticsearchUp = false;
  const wakeups = new Set<() => void>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakeups.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakeups.add(done);
    });

  const readinessBase = () => ({ elasticsearch: elasticsearchUp ? 'up' : 'down' });
  if (!config.kafka) {
    log.warn('Kafka configuration missing; skipping message indexing consumer');
    return {
      start: async () => undefined,
      readiness: () => ({ ready: true, details: { kafka: 'disabled', elasticsearch: 'not_used' } }),
      stop: async () => {
        await esClient.close();
      },
    };
  }
  const kafkaConfig = config.kafka;
  const topics = sourceTopics(config);
  log.info('Starting Kafka consumer for search indexing', { brokers: kafkaConfig.brokers, groupId: kafkaConfig.groupId, topics });

  const kafka = createKafkaClient({ brokers: kafkaConfig.brokers, clientId: kafkaConfig.clientId, logger });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: JavaCompatiblePartitioner });
  const deadLetters = new DeadLetterPublisher(producer, config.deadLetter);
  const source = new KafkaSource({ kafka, groupId: kafkaConfig.groupId, topics, ...config.consumer, logger, metrics });
  const purger = new TombstonePurger(esClient, { indices: [aliases.message, aliases.post], horizonMs: config.tombstones.horizonMs, intervalMs: config.tombstones.purgeIntervalMs }, logger, metrics);
  const processor = new PartitionProcessor({
    normalize: { topics: kafkaConfig.topics },
    aliases,
    limits: config.bulk,
    retry: config.retry,
    sink,
    deadLetters,
    metrics,
    logger,
    sleep,
  });

  let consecutiveBlocks = 0;
  let probing = false;
  const probe = async () => {
    probing = true;
    try {
      for (let attempt = 1; source.pausedCount > 0 && !stopping; attempt++) {
        await sleep(backoffDelay(consecutiveBlocks + attempt - 1, config.retry));
        if (stopping) break;
        if (await sink.ping()) {
          elasticsearchUp = true;
          metrics.elasticsearchUp.set(1);
          log.info('Elasticsearch answers; resuming paused partitions', { paused: source.pausedCount });
          source.resumeAll();
          break;
        }
        elasticsearchUp = false;
      }
    } finally {
      probing = false;
    }
  };
  const onBlocked = (topic: string, partition: number, error: Error) => {
    consecutiveBlocks++;
    if (error instanceof ElasticsearchUnavailableError || error instanceof ElasticsearchRequestError) {
      elasticsearchUp = false;
      metrics.elasticsearchUp.set(0);
    }
    log.error('Failed to index message', { topic, partition, err: error, action: 'pause_partition', consecutiveBlocks });
    if (!probing) void probe();
  };
  const onBatch = async (records: Parameters<PartitionProcessor['process']>[0], control: Parameters<PartitionProcessor['process']>[1]): Promise<BatchOutcome> => {
    const outcome = await processor.process(records, control);
    if (outcome.kind === 'completed') consecutiveBlocks = 0;
    return outcome;
  };

  let started: Promise<void> | undefined;
  const boot = async () => {
    // Elasticsearch may be down at start: wait for it (the indices must exist before the first write).
    for (let attempt = 1; !stopping; attempt++) {
      try {
        await ensureIndices(esClient, { aliases, refreshInterval: config.elasticsearch.refreshInterval }, log);
        elasticsearchUp = true;
        metrics.elasticsearchUp.set(1);
        break;
      } catch (err) {
        metrics.elasticsearchUp.set(0);
        log.warn('Elasticsearch not ready; retrying index setup', { err, attempt });
        await sleep(backoffDelay(attempt, config.retry));
      }
    }
    // Kafka may be down at start too: the original waited and retried.
    for (let attempt = 1; !stopping; attempt++) {
      try {
        await producer.connect();
        await ensureDeadLetterTopics(kafka, topics, deadLetters, log);
        if (stopping) return;
        await source.start(onBatch, onBlocked);
        break;
      } catch (err) {
        log.error('Kafka error', { err, attempt, during: 'start' });
        await sleep(Math.max(1_000, backoffDelay(attempt, config.retry)));
      }
    }
    if (!stopping) purger.start();
  };

  return {
    start: () => (started ??= boot()),
    readiness: () => {
      const kafkaState = source.state === 'joined' ? 'up' : source.state;
      return { ready: kafkaState === 'up' && elasticsearchUp, details: { kafka: kafkaState, ...readinessBase(), pausedPartitions: source.pausedCount } };
    },
    stop: async () => {
      stopping = true;
      for (const wake of [...wakeups]) wake();
      await started?.catch(() => undefined);
      await purger.stop();
      await source.stop();
      await producer.disconnect();
      await esClient.close();
    },
  };
}

/** Creates missing dead-letter topics with the partition count and replication of their source topic. */
async function ensureDeadLetterTopics(kafka: Kafka, topics: string[], deadLetters: DeadLetterPublisher, log: Logger): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = new Map<string, { numPartitions: number; replicationFactor: number }>();
    const known = topics.filter((t) => existing.has(t));
    const metadata = known.length > 0 ? (await admin.fetchTopicMetadata({ topics: known })).topics : [];
    for (const topic of topics) {
      const dlq = deadLetters.topicFor(topic);
      if (existing.has(dlq)) continue;
      const meta = metadata.find((m) => m.name === topic);
      const numPartitions = Math.max(meta?.partitions.length ?? 1, wanted.get(dlq)?.numPartitions ?? 1);
      const replicationFactor = Math.max(meta?.partitions[0]?.replicas.length ?? 1, 1);
      wanted.set(dlq, { numPartitions, replicationFactor });
    }
    if (wanted.size === 0) return;
    await admin.createTopics({ waitForLeaders: true, topics: [...wanted].map(([topic, t]) => ({ topic, ...t })) });
    log.info('Created dead-letter topics', { topics: [...wanted.keys()] });
  } finally {
    await admin.disconnect();
  }
}

