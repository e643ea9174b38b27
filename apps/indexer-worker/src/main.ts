import { loadIndexerConfig, redactUrl } from '@nova/config';
import { createLogger } from '@nova/logger';
import { createMetricsRegistry, exitOnBootError, handleShutdown, startServiceHttp } from '@nova/runtime';
import { createIndexerWorker } from './app/indexer-worker';

async function main() {
  const config = loadIndexerConfig(process.env);
  const logger = createLogger({ service: 'indexer-worker', level: config.logLevel, format: process.stdout.isTTY ? 'pretty' : 'json' });
  const registry = createMetricsRegistry('indexer-worker');
  logger.info('Indexer configuration', { elasticsearch: redactUrl(config.elasticsearch.url), bulk: config.bulk, consumer: config.consumer });
  const worker = createIndexerWorker({ config, logger, registry });
  const http = await startServiceHttp({ service: 'indexer-worker', ...config.http, logger, registry, readiness: () => worker.readiness() });
  handleShutdown(logger, async () => {
    await worker.stop();
    await http.close();
  });
  await worker.start();
}

main().catch((err: unknown) => exitOnBootError(undefined, err));
