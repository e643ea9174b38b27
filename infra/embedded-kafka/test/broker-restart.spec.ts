import { waitFor } from '@nova/testing';
import {
  consumerConfig,
  disconnectAll,
  embeddedBrokerUnderTest,
  producerConfig,
  runCollecting,
  uniqueName,
  type BrokerUnderTest,
  type Consumer,
  type Producer,
  type Received,
} from './support/broker-under-test';

// restart() is the stand-in's own API, so this suite always runs against the embedded broker, even when
// KAFKA_TEST_BROKERS points the contract suites at a real one.
describe('embedded broker restart mid-stream', () => {
  let broker: BrokerUnderTest;
  const open: Array<Producer | Consumer> = [];

  beforeAll(async () => {
    broker = await embeddedBrokerUnderTest();
  });
  afterAll(async () => {
    await disconnectAll(...open);
    await broker?.stop();
  });

  it('loses no acknowledged message and keeps the group across a restart', async () => {
    const topic = uniqueName('restart');
    const producer = broker.kafka('restart-producer').producer(producerConfig({ idempotent: true, maxInFlightRequests: 1 }));
    const consumer = broker.kafka('restart-consumer').consumer(consumerConfig(broker, uniqueName('restart-group')));
    open.push(producer, consumer);
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'k', value: 'first' }] });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const got: Received[] = [];
    await runCollecting(consumer, got);

    const acked: string[] = ['first'];
    let restarted = false;
    for (let i = 0; i < 60; i++) {
      if (i === 30) {
        await broker.embedded?.restart();
        restarted = true;
      }
      const value = `m${i}`;
      await producer.send({ topic, acks: -1, messages: [{ key: `k${i % 5}`, value }] });
      acked.push(value);
    }
    expect(restarted).toBe(true);
    await waitFor(() => acked.every((v) => got.some((m) => m.value === v)), { timeoutMs: 30_000, what: 'every acknowledged message consumed' });
    // The idempotent producer's retries never duplicate a record in the log.
    const admin = broker.kafka('restart-admin').admin();
    await admin.connect();
    const total = (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
    await admin.disconnect();
    expect(total).toBe(acked.length);
  });
});
