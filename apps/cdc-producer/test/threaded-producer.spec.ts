import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { CompressionTypes, Kafka, logLevel, type Admin } from 'kafkajs';
import winston from 'winston';
import { startEmbeddedKafka, type EmbeddedKafka } from '@nova/embedded-kafka';
import { murmur2 } from '@nova/kafka';
import { createLogger, createSilentLogger } from '@nova/logger';
import { waitFor } from '@nova/testing';
import { kafkaErrorType } from '../src/kafka/kafka-errors';
import { RecordBatch } from '../src/kafka/record-batch';
import { ThreadedProducer } from '../src/kafka/threaded-producer';

const SETTINGS = (brokers: string[]) => ({ brokers, clientId: 'threaded-producer-test' });

function batchOf(records: Array<{ topic: string; key: string; value: string }>) {
  const batch = new RecordBatch(Buffer.allocUnsafeSlow(1 << 20), Date.now());
  records.forEach((r, i) => batch.add({ ...r, valueBytes: Buffer.byteLength(r.value), bytes: 0 }, i + 1));
  return batch.pack(-1, CompressionTypes.None);
}

describe('ThreadedProducer: kafkajs in a worker thread', () => {
  let broker: EmbeddedKafka;
  let kafka: Kafka;
  let admin: Admin;

  beforeAll(async () => {
    broker = await startEmbeddedKafka({ groupInitialRebalanceDelayMs: 0 });
    kafka = new Kafka({ clientId: 'test', brokers: broker.brokers, logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
    await broker?.stop();
  });

  async function readAll(topic: string, count: number) {
    const consumer = kafka.consumer({ groupId: `read-${randomUUID()}` });
    const seen: Array<{ partition: number; key: string; value: string }> = [];
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ partition, message }) => void seen.push({ partition, key: String(message.key), value: String(message.value) }) });
    try {
      await waitFor(() => seen.length >= count, { what: `${count} records in ${topic}` });
      return seen;
    } finally {
      await consumer.disconnect();
    }
  }

  it('delivers every message with its key and value, keyed to the Java partitioner`s partition, in order per key', async () => {
    const a = `tp-a-${randomUUID()}`;
    const b = `tp-b-${randomUUID()}`;
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: a, numPartitions: 3 }, { topic: b, numPartitions: 1 }] });
    const keys = Array.from({ length: 40 }, () => randomUUID());
    // Two events per key (order per key must hold), multi-byte UTF-8, and values of different lengths.
    const messagesA = [...keys, ...keys].map((key, i) => ({ topic: a, key, value: JSON.stringify({ i, text: `内容 ${'x'.repeat(i)} ✓` }) }));
    const messagesB = [{ topic: b, key: 'k', value: '{}' }];
    const producer = new ThreadedProducer(SETTINGS(broker.brokers), createSilentLogger());
    try {
      await producer.connect();
      // Interleaved topics: each topic's records keep their order.
      await producer.send(batchOf(messagesA.flatMap((m, i) => (i === 10 ? [m, ...messagesB] : [m]))));
    } finally {
      await producer.disconnect();
    }
    const seenA = await readAll(a, messagesA.length);
    expect(seenA).toHaveLength(messagesA.length);
    for (const m of seenA) expect(m.partition).toBe((murmur2(Buffer.from(m.key)) & 0x7fffffff) % 3);
    const byKey = (list: Array<{ key: string; value: string }>) => keys.map((k) => list.filter((m) => m.key === k).map((m) => m.value));
    expect(byKey(seenA)).toEqual(byKey(messagesA));
    expect(await readAll(b, 1)).toEqual([{ partition: 0, key: 'k', value: '{}' }]);
  });

  it('rejects with the Kafka error name when the broker refuses a batch, and logs kafkajs`s error through the main logger', async () => {
    const topic = `tp-large-${randomUUID()}`;
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '2000' }] }] });
    const lines: Array<Record<string, unknown>> = [];
    const stream = new Writable({ write: (c, _e, cb) => (lines.push(JSON.parse(String(c)) as Record<string, unknown>), cb()) });
    const logger = createLogger({ service: 't', transports: [new winston.transports.Stream({ stream })] });
    const producer = new ThreadedProducer(SETTINGS(broker.brokers), logger);
    try {
      await producer.connect();
      const err = await producer.send(batchOf([{ topic, key: 'k', value: 'x'.repeat(5_000) }])).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(Error);
      expect(kafkaErrorType(err)).toBe('MESSAGE_TOO_LARGE');
      await waitFor(() => lines.some((l) => l['message'] === 'Kafka error' && l['component'] === 'kafkajs'), { what: 'the thread`s kafkajs error line' });
    } finally {
      await producer.disconnect();
    }
  });

  it('once disconnected (the thread ended), every call rejects', async () => {
    const producer = new ThreadedProducer(SETTINGS(broker.brokers), createSilentLogger());
    await producer.connect();
    await producer.disconnect();
    await expect(producer.send(batchOf([{ topic: 'any', key: 'k', value: 'v' }]))).rejects.toThrow(/send thread exited/);
    await expect(producer.connect()).rejects.toThrow(/send thread exited/);
  });
});
