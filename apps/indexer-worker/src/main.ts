import { loadIndexerConfig } from '@nova/config';
import { createLogger } from '@nova/logger';
import { createMetricsRegistry, exitOnBootError, handleShutdown, startServiceHttp } from '@nova/runtime';

async function main() {
  const config = loadIndexerConfig(process.env);
  const logger = createLogger({ service: 'indexer-worker', level: config.logLevel, format: process.stdout.isTTY ? 'pretty' : 'json' });
  if (config.kafka) logger.info('Starting Kafka consumer for search indexing', { brokers: config.kafka.brokers, groupId: config.kafka.groupId });
  else logger.warn('Kafka configuration missing; skipping message indexing consumer');
  const registry = createMetricsRegistry('indexer-worker');
  const http = await startServiceHttp({ service: 'indexer-worker', ...config.http, logger, registry });
  handleShutdown(logger, async () => {
    await http.close();
  });
}

main().catch((err: unknown) => exitOnBootError(undefined, err));
