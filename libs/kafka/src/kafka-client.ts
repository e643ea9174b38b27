import { Kafka, logLevel as KafkaLogLevel, type KafkaConfig, type LogEntry } from 'kafkajs';
import type { Logger } from '@nova/logger';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** Extra kafkajs settings (retry, timeouts, ssl, sasl). */
  config?: Partial<KafkaConfig>;
}

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [KafkaLogLevel.ERROR]: 'error',
  [KafkaLogLevel.WARN]: 'warn',
  [KafkaLogLevel.INFO]: 'info',
  [KafkaLogLevel.DEBUG]: 'debug',
};

/** The level kafkajs clients log at (and above). */
export const KAFKA_LOG_LEVEL = KafkaLogLevel.WARN;

/**
 * Writes kafkajs log entries through our winston logger (component `kafkajs`); errors get the original service's
 * line, `Kafka error`. Also used for entries that a kafkajs client in a worker thread posts to the main thread.
 */
export function kafkaLogRouter(logger: Logger): (entry: Pick<LogEntry, 'level' | 'log'>) => void {
  const log = logger.child({ component: 'kafkajs' });
  return ({ level, log: entry }) => {
    const { message, timestamp: _t, logger: _l, ...fields } = entry;
    const winstonLevel = LEVELS[level] ?? 'info';
    if (winstonLevel === 'error') log.error('Kafka error', { detail: message, ...fields });
    else log.log(winstonLevel, message, fields);
  };
}

/** A kafkajs client whose logs go through our winston logger (see `kafkaLogRouter`). */
export function createKafkaClient(options: KafkaClientOptions): Kafka {
  const route = kafkaLogRouter(options.logger);
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: KAFKA_LOG_LEVEL,
    logCreator: () => route,
    ...options.config,
  });
}
