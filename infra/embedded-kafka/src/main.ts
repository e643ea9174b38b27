/**
 * Standalone embedded Kafka broker: `npm run embedded:kafka -- --port 9092 [--host 127.0.0.1] [--partitions 3]
 * [--no-auto-create-topics] [--group-initial-rebalance-delay-ms 3000]`. Logs JSON lines; the `embedded kafka ready`
 * line carries the bootstrap address. Stops on SIGTERM/SIGINT.
 */
import { parseArgs } from 'node:util';
import { createLogger } from '@nova/logger';
import { startEmbeddedKafka } from './embedded-kafka';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '9092' },
      host: { type: 'string', default: '127.0.0.1' },
      partitions: { type: 'string', default: '3' },
      'no-auto-create-topics': { type: 'boolean', default: false },
      'group-initial-rebalance-delay-ms': { type: 'string' },
      'log-level': { type: 'string', default: process.env['LOG_LEVEL'] ?? 'info' },
    },
    strict: true,
  });
  const logger = createLogger({ service: 'embedded-kafka', level: values['log-level'] });
  const int = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new Error(`--${name} must be a non-negative integer, got "${v}"`);
    return Number(v);
  };
  const kafka = await startEmbeddedKafka({
    port: int('port', values.port),
    host: values.host,
    defaultPartitions: int('partitions', values.partitions),
    autoCreateTopics: !values['no-auto-create-topics'],
    groupInitialRebalanceDelayMs: int('group-initial-rebalance-delay-ms', values['group-initial-rebalance-delay-ms']),
    logger: logger.child({ component: 'broker' }),
  });
  logger.info('embedded kafka ready', { bootstrap: kafka.brokers.join(',') });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    void kafka.stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`embedded-kafka failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
