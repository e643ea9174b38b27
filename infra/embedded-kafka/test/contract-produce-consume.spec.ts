import { CompressionTypes, type Admin } from 'kafkajs';
import { waitFor } from '@nova/testing';
import {
  consumerConfig,
  disconnectAll,
  producerConfig,
  runCollecting,
  startBrokerUnderTest,
  uniqueName,
  type BrokerUnderTest,
  type Consumer,
  type Producer,
  type Received,
} from './support/broker-under-test';

describe('contract: produce and consume (kafkajs)', () => {
  let broker: BrokerUnderTest;
  let admin: Admin;
  const open: Array<Producer | Consumer> = [];

  beforeAll(async () => {
    broker = await startBrokerUnderTest();
    admin = broker.kafka('contract-pc').admin();
    await admin.connect();
  });
  afterAll(async () => {
    await disconnectAll(...open, admin);
    await broker?.stop();
  });

  it('idempotent gzip producer with headers: read back in per-key order', async () => {
    const topic = uniqueName('idem');
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
    const producer = broker.kafka('idem-producer').producer(producerConfig({ idempotent: true, maxInFlightRequests: 1 }));
    open.push(producer);
    await producer.connect();
    const keys = ['alpha', 'beta', 'gamma', 'delta'];
    for (let round = 0; round < 5; round++) {
      await producer.send({
        topic,
        acks: -1,
        compression: CompressionTypes.GZIP,
        messages: keys.flatMap((key) => [0, 1].map((i) => ({ key, value: `${key}-${round * 2 + i}`, headers: { event_type: 'message_persisted', seq: String(round * 2 + i) } }))),
      });
    }
    const consumer = broker.kafka('idem-consumer').consumer(consumerConfig(broker, uniqueName('idem-group')));
    open.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const got: Received[] = [];
    await runCollecting(consumer, got);
    await waitFor(() => got.length >= 40, { timeoutMs: 20_000, what: '40 messages' });
    expect(got).toHaveLength(40);
    for (const key of keys) {
      const mine = got.filter((m) => m.key === key);
      expect(mine.map((m) => m.value)).toEqual(Array.from({ length: 10 }, (_, i) => `${key}-${i}`));
      expect(new Set(mine.map((m) => m.partition)).size).toBe(1);
      expect(mine.map((m) => m.headers?.['seq']?.toString())).toEqual(Array.from({ length: 10 }, (_, i) => String(i)));
      expect(mine.every((m) => m.headers?.['event_type']?.toString() === 'message_persisted')).toBe(true);
    }
    await consumer.disconnect();
  });

  it('reports offsets (earliest, latest, by timestamp) and resets a group to an offset', async () => {
    const topic = uniqueName('offsets');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    const producer = broker.kafka('offsets-producer').producer(producerConfig());
    open.push(producer);
    await producer.connect();
    const t0 = Date.now() - 10_000;
    await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ value: `m${i}`, timestamp: String(t0 + i * 1000) })) });

    expect(await admin.fetchTopicOffsets(topic)).toEqual([expect.objectContaining({ partition: 0, low: '0', high: '10', offset: '10' })]);
    // Exact timestamp lookup: the first offset whose timestamp is >= the one asked for.
    expect(await admin.fetchTopicOffsetsByTimestamp(topic, t0 + 3500)).toEqual([{ partition: 0, offset: '4' }]);
    expect(await admin.fetchTopicOffsetsByTimestamp(topic, t0 + 3000)).toEqual([{ partition: 0, offset: '3' }]);

    const groupId = uniqueName('offsets-group');
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '6' }] });
    expect(await admin.fetchOffsets({ groupId, topics: [topic] })).toEqual([
      { topic, partitions: [expect.objectContaining({ partition: 0, offset: '6' })] },
    ]);
    const consumer = broker.kafka('offsets-consumer').consumer(consumerConfig(broker, groupId));
    open.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const got: Received[] = [];
    await runCollecting(consumer, got);
    await waitFor(() => got.length >= 4, { timeoutMs: 20_000, what: 'messages from offset 6' });
    expect(got.map((m) => m.value)).toEqual(['m6', 'm7', 'm8', 'm9']);
    await waitFor(async () => (await admin.fetchOffsets({ groupId, topics: [topic] }))[0].partitions[0].offset === '10', { what: 'commit of offset 10' });
    await consumer.disconnect();

    // Rewind the (now empty) group to the start: the next member replays everything.
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '0' }] });
    const again = broker.kafka('offsets-consumer-2').consumer(consumerConfig(broker, groupId));
    open.push(again);
    await again.connect();
    await again.subscribe({ topic });
    const replay: Received[] = [];
    await runCollecting(again, replay);
    await waitFor(() => replay.length >= 10, { timeoutMs: 20_000, what: 'replay from earliest' });
    expect(replay.map((m) => m.offset)).toEqual(Array.from({ length: 10 }, (_, i) => String(i)));
    await again.disconnect();
  });

  it('seeks and fetches from an explicit offset', async () => {
    const topic = uniqueName('seek');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    const producer = broker.kafka('seek-producer').producer(producerConfig());
    open.push(producer);
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 5 }, (_, i) => ({ value: `s${i}` })) });
    const consumer = broker.kafka('seek-consumer').consumer(consumerConfig(broker, uniqueName('seek-group')));
    open.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic });
    const got: Received[] = [];
    await runCollecting(consumer, got);
    consumer.seek({ topic, partition: 0, offset: '2' });
    await waitFor(() => got.length >= 3, { timeoutMs: 20_000, what: 'messages after seek' });
    expect(got.map((m) => m.value)).toEqual(['s2', 's3', 's4']);
    // Long poll: a message produced while the consumer waits arrives without a new seek.
    await producer.send({ topic, messages: [{ value: 's5' }] });
    await waitFor(() => got.length >= 4, { timeoutMs: 10_000, what: 'message produced during the long poll' });
    expect(got[3].value).toBe('s5');
    await consumer.disconnect();
  });
});
