import { Writable } from 'node:stream';
import winston from 'winston';
import { loadIndexerConfig, type TopicNames } from '@nova/config';
import { createLogger } from '@nova/logger';
import { createMetricsRegistry } from '@nova/runtime';
import type { Registry } from 'prom-client';
import { createIndexerWorker, type IndexerWorker } from '../../src/app/indexer-worker';

export interface TestNames {
  topics: TopicNames;
  groupId: string;
  aliases: { message: string; post: string };
}

/** Topic, group and index names no other test uses. */
export function uniqueNames(prefix: string): TestNames {
  const tag = `${prefix}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`.toLowerCase();
  return {
    topics: {
      messagePersisted: `${tag}.message_persisted`,
      messageDeleted: `${tag}.message_deleted`,
      postPersisted: `${tag}.post_persisted`,
      postDeleted: `${tag}.post_deleted`,
    },
    groupId: `${tag}-indexer`,
    aliases: { message: `${tag}_messages`, post: `${tag}_posts` },
  };
}

export function topicList(names: TestNames): string[] {
  return Object.values(names.topics);
}

/** The worker's environment for a test (short sessions and backoffs, so failover and recovery take seconds). */
export function workerEnv(brokers: string[], esUrl: string, names: TestNames, extra: Record<string, string> = {}): Record<string, string> {
  return {
    KAFKA_BROKERS: brokers.join(','),
    KAFKA_SEARCH_GROUP_ID: names.groupId,
    KAFKA_MESSAGE_PERSISTED_TOPIC: names.topics.messagePersisted,
    KAFKA_MESSAGE_DELETED_TOPIC: names.topics.messageDeleted,
    KAFKA_POST_PERSISTED_TOPIC: names.topics.postPersisted,
    KAFKA_POST_DELETED_TOPIC: names.topics.postDeleted,
    ELASTICSEARCH_URL: esUrl,
    ELASTICSEARCH_MESSAGE_INDEX: names.aliases.message,
    ELASTICSEARCH_POST_INDEX: names.aliases.post,
    INDEXER_SESSION_TIMEOUT_MS: '6000',
    INDEXER_HEARTBEAT_INTERVAL_MS: '500',
    INDEXER_RETRY_INITIAL_MS: '50',
    INDEXER_RETRY_MAX_MS: '1000',
    LOG_LEVEL: 'info',
    PORT: '0',
    ...extra,
  };
}

export interface InProcessWorker {
  worker: IndexerWorker;
  registry: Registry;
  /** Log lines written so far (parsed JSON). */
  logs(): Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

/** Runs the worker inside the test process (same code path as main.ts, minus the HTTP server); logs are captured, not printed. */
export async function startInProcessWorker(env: Record<string, string>): Promise<InProcessWorker> {
  const config = loadIndexerConfig(env);
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  const logger = createLogger({ service: 'indexer-worker', level: config.logLevel, transports: [new winston.transports.Stream({ stream })] });
  const registry = createMetricsRegistry('indexer-worker');
  const worker = createIndexerWorker({ config, logger, registry });
  await worker.start();
  let stopped = false;
  return {
    worker,
    registry,
    logs: () => lines.flatMap((l) => l.split('\n')).filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await worker.stop();
    },
  };
}

/** Sum of a counter/gauge's values whose labels include `labels`. */
export async function metricValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  return values
    .filter((v) => Object.entries(labels).every(([k, want]) => String((v.labels as Record<string, unknown>)[k]) === want))
    .filter((v) => !('metricName' in v) || v.metricName === name || v.metricName === undefined)
    .reduce((sum, v) => sum + v.value, 0);
}

/** Parses a Prometheus text exposition and sums the samples of `name` (used for child processes). */
export function sumSamples(text: string, name: string): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== '{' && rest[0] !== ' ') continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}
