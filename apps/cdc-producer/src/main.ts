import { loadProducerConfig, redactUrl } from '@nova/config';
import { createLogger } from '@nova/logger';
import { createMetricsRegistry, exitOnBootError, handleShutdown, startServiceHttp } from '@nova/runtime';

async function main() {
  const config = loadProducerConfig(process.env);
  const logger = createLogger({ service: 'cdc-producer', level: config.logLevel, format: process.stdout.isTTY ? 'pretty' : 'json' });
  logger.info('Starting CDC producer', { database: redactUrl(config.databaseUrl), brokers: config.kafka.brokers });
  const registry = createMetricsRegistry('cdc-producer');
  const http = await startServiceHttp({ service: 'cdc-producer', ...config.http, logger, registry });
  handleShutdown(logger, async () => {
    await http.close();
  });
}

main().catch((err: unknown) => exitOnBootError(undefined, err));
