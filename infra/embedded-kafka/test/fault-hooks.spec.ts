import type { Admin } from 'kafkajs';
import { waitFor } from '@nova/testing';
import { ErrorCode } from '../src';
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

describe('embedded broker: fault hooks', () => {
  let broker: BrokerUnderTest;
  let admin: Admin;
  const open: Array<Producer | Consumer> = [];
  const faults = () => {
    if (!broker.embedded) throw new Error('fault hooks need the embedded broker');
    return broker.embedded.faults;
  };

  beforeAll(async () => {
    broker = await embeddedBrokerUnderTest();
    admin = broker.kafka('faults-admin').admin();
    await admin.connect();
  });
  afterEach(() => faults().clear());
  afterAll(async () => {
    await disconnectAll(...open, admin);
    await broker?.stop();
  });

  it('fails the next N requests of an API with a given error; a retriable one is retried by the client', async () => {
    const topic = uniqueName('fail-next');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    const producer = broker.kafka('faults-producer').producer(producerConfig({ idempotent: true, maxInFlightRequests: 1 }));
    open.push(producer);
    await producer.connect();
    faults().failNext('Produce', ErrorCode.NOT_ENOUGH_REPLICAS, 2);
    await producer.send({ topic, messages: [{ value: 'after-two-failures' }] });
    expect(await admin.fetchTopicOffsets(topic)).toEqual([expect.objectContaining({ high: '1' })]);

    faults().failNext('CreateTopics', ErrorCode.INVALID_REQUEST);
    await expect(admin.createTopics({ topics: [{ topic: uniqueName('refused') }] })).rejects.toMatchObject({
      errors: [expect.objectContaining({ type: 'INVALID_REQUEST' })],
    });
  });

  it('delays responses', async () => {
    faults().delay('Metadata', 400, 1);
    const started = Date.now();
    await admin.fetchTopicMetadata({ topics: [] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
  });

  it('drops connections; clients reconnect and carry on', async () => {
    const topic = uniqueName('drop');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    const producer = broker.kafka('drop-producer').producer(producerConfig({ idempotent: true, maxInFlightRequests: 1 }));
    const consumer = broker.kafka('drop-consumer').consumer(consumerConfig(broker, uniqueName('drop-group')));
    open.push(producer, consumer);
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const got: Received[] = [];
    await runCollecting(consumer, got);
    await producer.send({ topic, messages: [{ value: 'a' }] });
    await waitFor(() => got.length >= 1, { timeoutMs: 15_000, what: 'first message' });

    faults().dropConnectionOn('Fetch');
    faults().dropConnectionOn('Produce');
    await producer.send({ topic, messages: [{ value: 'b' }] });
    broker.embedded?.faults.dropAllConnections();
    await producer.send({ topic, messages: [{ value: 'c' }] });
    await waitFor(() => ['a', 'b', 'c'].every((v) => got.some((m) => m.value === v)), { timeoutMs: 20_000, what: 'messages after dropped connections' });
    expect((await admin.fetchTopicOffsets(topic))[0]?.high).toBe('3');
  });
});
