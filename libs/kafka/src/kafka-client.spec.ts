import { Writable } from 'node:stream';
import winston from 'winston';
import { createLogger } from '@nova/logger';
import { createKafkaClient } from './kafka-client';

describe('createKafkaClient', () => {
  it('routes kafkajs errors to our logger as "Kafka error"', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const stream = new Writable({ write: (c, _e, cb) => (lines.push(JSON.parse(String(c))), cb()) });
    const logger = createLogger({ service: 't', transports: [new winston.transports.Stream({ stream })] });
    // Nothing listens on port 1: the connection fails at once and kafkajs logs an error.
    const kafka = createKafkaClient({ brokers: ['127.0.0.1:1'], clientId: 't', logger, config: { retry: { retries: 0 }, connectionTimeout: 200 } });
    const admin = kafka.admin();
    await expect(admin.connect()).rejects.toThrow();
    expect(lines.some((l) => l['message'] === 'Kafka error' && l['component'] === 'kafkajs' && l['level'] === 'error')).toBe(true);
  });
});
