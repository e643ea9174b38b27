import { z } from 'zod';
import { host, logLevel, parseEnv, port, postgresUrl, type Env } from './env';
import { kafkaSchema, topicNames } from './shared.config';

const schema = z.object({
  LOG_LEVEL: logLevel,
  HOST: host,
  PORT: port(8087),
  DATABASE_URL: postgresUrl,
  ...kafkaSchema,
});

export function loadProducerConfig(env: Env) {
  const e = parseEnv('cdc-producer', schema, env);
  return {
    logLevel: e.LOG_LEVEL,
    http: { host: e.HOST, port: e.PORT },
    databaseUrl: e.DATABASE_URL,
    kafka: { brokers: e.KAFKA_BROKERS, clientId: e.KAFKA_CLIENT_ID ?? 'nova-cdc-producer', topics: topicNames(e) },
  };
}
export type ProducerConfig = ReturnType<typeof loadProducerConfig>;
