import { z } from 'zod';
import { host, logLevel, parseEnv, port, postgresUrl, type Env } from './env';
import { elasticsearchSchema } from './shared.config';

const schema = z.object({
  LOG_LEVEL: logLevel,
  HOST: host,
  PORT: port(8086),
  DATABASE_URL: postgresUrl,
  ...elasticsearchSchema,
});

export function loadSearchApiConfig(env: Env) {
  const e = parseEnv('search-api', schema, env);
  return {
    logLevel: e.LOG_LEVEL,
    http: { host: e.HOST, port: e.PORT },
    databaseUrl: e.DATABASE_URL,
    elasticsearch: {
      url: e.ELASTICSEARCH_URL,
      username: e.ELASTICSEARCH_USERNAME,
      password: e.ELASTICSEARCH_PASSWORD,
      postIndex: e.ELASTICSEARCH_POST_INDEX,
      messageIndex: e.ELASTICSEARCH_MESSAGE_INDEX,
    },
  };
}
export type SearchApiConfig = ReturnType<typeof loadSearchApiConfig>;
