import { loadSearchApiConfig, redactUrl } from '@nova/config';
import { createLogger } from '@nova/logger';
import { exitOnBootError, handleShutdown } from '@nova/runtime';
import { startSearchApi } from './search-api';

async function main() {
  const config = loadSearchApiConfig(process.env);
  const logger = createLogger({ service: 'search-api', level: config.logLevel, format: process.stdout.isTTY ? 'pretty' : 'json' });
  logger.info('Starting search API', {
    database: redactUrl(config.databaseUrl),
    elasticsearch: config.elasticsearch.enabled ? config.elasticsearch.url : 'disabled',
    auth: config.auth.algorithm,
  });
  const api = await startSearchApi(config, logger);
  handleShutdown(logger, () => api.close());
}

main().catch((err: unknown) => exitOnBootError(undefined, err));
