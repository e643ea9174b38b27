import { CDC_TABLES, loadProducerConfig, type CdcTable } from '@nova/config';
import { createKafkaClient } from '@nova/kafka';
import { createLogger } from '@nova/logger';
import { createSql } from '@nova/postgres';
import { createMetricsRegistry } from '@nova/runtime';
import { ProducerMetrics } from './app/producer-metrics';
import { errorMessage } from './errors';
import { resnapshotTable } from './pipeline/resnapshot';

const USAGE = `usage: npx tsx apps/cdc-producer/src/cli.ts resnapshot <${CDC_TABLES.join('|')}>
  Re-publishes every row of the table to its topics (for a reindex), while running producers keep streaming.
  Reads the same environment as the producer (DATABASE_URL, KAFKA_BROKERS, topic names, CDC_SLOT_NAME, ...).`;

async function main(argv: string[]): Promise<number> {
  const [command, table] = argv;
  if (command !== 'resnapshot' || !table || !(CDC_TABLES as readonly string[]).includes(table)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadProducerConfig(process.env);
  const logger = createLogger({ service: 'cdc-producer-cli', level: config.logLevel, format: process.stdout.isTTY ? 'pretty' : 'json' });
  const sql = createSql(config.databaseUrl, { max: 2, applicationName: 'nova-cdc-resnapshot' });
  const kafka = createKafkaClient({ brokers: config.kafka.brokers, clientId: `${config.kafka.clientId}-resnapshot`, logger });
  try {
    const result = await resnapshotTable({ config, sql, kafka, logger, metrics: new ProducerMetrics(createMetricsRegistry('cdc-producer-cli')) }, table as CdcTable);
    logger.info('Re-snapshot published', { ...result });
    return 0;
  } catch (err) {
    logger.error('Re-snapshot failed', { err: errorMessage(err) });
    return 1;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${errorMessage(err)}\n`);
    process.exit(1);
  },
);
