import { loadSearchApiConfig, redactUrl } from '@nova/config';
import { createLogger } from '@nova/logger';
import { createMetricsRegistry, exitOnBootError, handleShutdown, startServiceHttp } from '@nova/runtime';

async function main() {
  const config = loadSearchApiConfig(process.env);
  const logger = createLogger({ service: 'search-api', level: config.logLevel, format: process.stdout.isTTY ? 'pretty' : 'json' });
  logger.info('Starting search API', { database: redactUrl(config.databaseUrl), elasticsearch: config.elasticsearch.url });
  const registry = createMetricsRegistry('search-api');
  const http = await startServiceHttp({ service: 'search-api', ...config.http, logger, registry });
  handleShutdown(logger, async () => {
    await http.close();
  });
}

main().catch((err: unknown) => exitOnBootError(undefined, err));
