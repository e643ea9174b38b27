import { loadProducerConfig, redactUrl } from '@nova/config';
import { createKafkaClient } from '@nova/kafka';
import { createLogger } from '@nova/logger';
import { createSql } from '@nova/postgres';
import { createMetricsRegistry, exitOnBootError, handleShutdown, startServiceHttp } from '@nova/runtime';
import { ProducerApp } from './app/producer-app';
import { ProducerMetrics } from './app/producer-metrics';
import { errorMessage } from './errors';
import { KAFKA_RETRY } from './kafka/kafka-retry';

async function main() {
  const config = loadProducerConfig(process.env);
  const logger = createLogger({ service: 'cdc-producer', level: config.logLevel, format: process.stdout.isTTY ? 'pretty' : 'json' });
  logger.info('Starting CDC producer', {
    database: redactUrl(config.databaseUrl),
    brokers: config.kafka.brokers,
    slot: config.cdc.slotName,
    publication: config.cdc.publicationName,
    tables: config.cdc.tables,
  });
  const registry = createMetricsRegistry('cdc-producer');
  const metrics = new ProducerMetrics(registry);
  const sql = createSql(config.databaseUrl, { max: 4, applicationName: 'nova-cdc-producer' });
  const kafka = createKafkaClient({
    brokers: config.kafka.brokers,
    clientId: config.kafka.clientId,
    logger,
    config: { retry: KAFKA_RETRY },
  });
  const app = new ProducerApp({ config, sql, kafka, logger, metrics });
  const http = await startServiceHttp({
    service: 'cdc-producer',
    ...config.http,
    logger,
    registry,
    readiness: () => ({ ready: app.currentState() === 'streaming', details: { state: app.currentState() } }),
  });
  const running = app.run().then(
    () => undefined,
    (err: unknown) => {
      logger.error('Fatal error; exiting', { err: errorMessage(err), code: (err as { code?: unknown }).code });
      process.exit(1);
    },
  );
  handleShutdown(logger, async () => {
    app.stop();
    await running;
    await http.close();
    await sql.end({ timeout: 5 });
  });
}

main().catch((err: unknown) => exitOnBootError(undefined, err));
