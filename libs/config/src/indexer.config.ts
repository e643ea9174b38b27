import { z } from 'zod';
import { brokerList, host, logLevel, parseEnv, port } from './env';
import { elasticsearchSchema, kafkaTopicsSchema, topicNames } from './shared.config';
import type { Env } from './env';

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
    },
  };
}
export type IndexerConfig = ReturnType<typeof loadIndexerConfig>;
