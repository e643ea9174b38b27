import { loadProducerConfig } from '@nova/config';
import { createKafkaClient } from '@nova/kafka';
import { createLogger, createSilentLogger } from '@nova/logger';
import { createSql } from '@nova/postgres';
import { createMetricsRegistry } from '@nova/runtime';
import { freePort, spawnTsService, type ChildService } from '@nova/testing';
import { ProducerApp } from '../../src/app/producer-app';
import { ProducerMetrics } from '../../src/app/producer-metrics';

/** Environment for a producer under test: its own slot, publication and topics. */
export function producerEnv(databaseUrl: string, brokers: string[], prefix: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: brokers.join(','),
    KAFKA_MESSAGE_PERSISTED_TOPIC: `${prefix}.message_persisted`,
    KAFKA_MESSAGE_DELETED_TOPIC: `${prefix}.message_deleted`,
    KAFKA_POST_PERSISTED_TOPIC: `${prefix}.post_persisted`,
    KAFKA_POST_DELETED_TOPIC: `${prefix}.post_deleted`,
    CDC_SLOT_NAME: `${prefix}_slot`,
    CDC_PUBLICATION_NAME: `${prefix}_pub`,
    CDC_HEARTBEAT_INTERVAL_MS: '500',
    CDC_STATUS_INTERVAL_MS: '200',
    CDC_STANDBY_POLL_MS: '250',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

export function topicList(prefix: string): string[] {
  return ['message_persisted', 'message_deleted', 'post_persisted', 'post_deleted'].map((t) => `${prefix}.${t}`);
}

/** The producer in this process (real PostgreSQL and broker over the network; only the process boundary is skipped). */
export function startInProcess(env: Record<string, string>) {
  const config = loadProducerConfig(env);
  const level = env['TEST_LOG_LEVEL'] as 'debug' | undefined;
  const logger = level ? createLogger({ service: 'cdc-producer-test', level, format: 'json' }) : createSilentLogger();
  const registry = createMetricsRegistry('cdc-producer-test');
  const metrics = new ProducerMetrics(registry);
  const sql = createSql(config.databaseUrl, { max: 3 });
  const kafka = createKafkaClient({ brokers: config.kafka.brokers, clientId: 'cdc-test', logger, config: { retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 1_000 } } });
  const app = new ProducerApp({ config, sql, kafka, logger, metrics });
  const running = app.run();
  running.catch(() => undefined);
  return {
    app,
    metrics,
    registry,
    running,
    stop: async () => {
      app.stop();
      await running.catch(() => undefined);
      await sql.end({ timeout: 5 });
    },
  };
}

/** The producer as its own process (`npx tsx apps/cdc-producer/src/main.ts`), with its HTTP port. */
export async function spawnProducer(env: Record<string, string>): Promise<{ child: ChildService; port: number; ready(): Promise<boolean> }> {
  const port = await freePort();
  const child = spawnTsService('apps/cdc-producer/src/main.ts', { ...env, PORT: String(port) });
  return {
    child,
    port,
    ready: async () => {
      try {
        return (await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200;
      } catch {
        return false;
      }
    },
  };
}

/** SIGKILLs the app (spawnTsService runs it as one process, so the signal reaches it) and waits for it to go. */
export async function killHard(child: ChildService): Promise<void> {
  child.kill('SIGKILL');
  await child.exited;
}
