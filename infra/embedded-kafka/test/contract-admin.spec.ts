import { Kafka, logLevel, type Admin } from 'kafkajs';
import { startEmbeddedKafka } from '../src';
import { disconnectAll, producerConfig, startBrokerUnderTest, uniqueName, type BrokerUnderTest } from './support/broker-under-test';

describe('contract: admin (kafkajs)', () => {
  let broker: BrokerUnderTest;
  let admin: Admin;

  beforeAll(async () => {
    broker = await startBrokerUnderTest();
    admin = broker.kafka('contract-admin').admin();
    await admin.connect();
  });
  afterAll(async () => {
    await disconnectAll(admin);
    await broker?.stop();
  });

  it('creates, lists, grows and deletes topics', async () => {
    const a = uniqueName('admin-a');
    const b = uniqueName('admin-b');
    await expect(admin.createTopics({ topics: [{ topic: a, numPartitions: 2 }, { topic: b }], waitForLeaders: true })).resolves.toBe(true);
    // An existing topic: kafkajs reports false (the broker answered TOPIC_ALREADY_EXISTS).
    await expect(admin.createTopics({ topics: [{ topic: a, numPartitions: 2 }] })).resolves.toBe(false);
    expect(await admin.listTopics()).toEqual(expect.arrayContaining([a, b]));

    const meta = await admin.fetchTopicMetadata({ topics: [a] });
    expect(meta.topics[0].partitions.map((p) => p.partitionId).sort()).toEqual([0, 1]);

    await admin.createPartitions({ topicPartitions: [{ topic: a, count: 5 }] });
    const grown = await admin.fetchTopicMetadata({ topics: [a] });
    expect(grown.topics[0].partitions).toHaveLength(5);
    await expect(admin.createPartitions({ topicPartitions: [{ topic: a, count: 3 }] })).rejects.toThrow(/partitions/i);

    await admin.deleteTopics({ topics: [a, b] });
    const after = await admin.listTopics();
    expect(after).not.toContain(a);
    expect(after).not.toContain(b);
  });

  it('rejects an invalid replication factor and unknown configs with the broker error', async () => {
    await expect(admin.createTopics({ topics: [{ topic: uniqueName('admin-rf'), replicationFactor: 99 }] })).rejects.toMatchObject({
      errors: [expect.objectContaining({ type: 'INVALID_REPLICATION_FACTOR' })],
    });
    await expect(admin.createTopics({ topics: [{ topic: uniqueName('admin-cfg'), configEntries: [{ name: 'no.such.config', value: '1' }] }] })).rejects.toMatchObject({
      errors: [expect.objectContaining({ type: 'INVALID_CONFIG' })],
    });
  });

  it('auto-creates a topic on first produce, with the default partition count', async () => {
    const topic = uniqueName('auto');
    const producer = broker.kafka('contract-auto').producer(producerConfig({ allowAutoTopicCreation: true }));
    await producer.connect();
    try {
      const [res] = await producer.send({ topic, messages: [{ key: 'k', value: 'v' }] });
      expect(res?.errorCode).toBe(0);
      // num.partitions of the broker: 3 on the embedded one (the original deployment's value); a real broker says its own.
      const { brokers } = await admin.describeCluster();
      const configs = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 4, name: String(brokers[0]?.nodeId), configNames: ['num.partitions'] }] });
      const numPartitions = Number(configs.resources[0]?.configEntries.find((e) => e.configName === 'num.partitions')?.configValue);
      if (broker.embedded) expect(numPartitions).toBe(3);
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(meta.topics[0]?.partitions).toHaveLength(numPartitions);
    } finally {
      await producer.disconnect();
    }
  });

  it('describes topic configs', async () => {
    const topic = uniqueName('configs');
    await admin.createTopics({ topics: [{ topic, configEntries: [{ name: 'retention.ms', value: '3600000' }] }] });
    const res = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: topic, configNames: ['retention.ms', 'cleanup.policy'] }] });
    const entries = Object.fromEntries(res.resources[0].configEntries.map((e) => [e.configName, e.configValue]));
    expect(entries).toEqual({ 'retention.ms': '3600000', 'cleanup.policy': 'delete' });
  });
});

describe('embedded broker with auto-creation off', () => {
  it('answers UNKNOWN_TOPIC_OR_PARTITION for a topic nobody created', async () => {
    const kafka = await startEmbeddedKafka({ autoCreateTopics: false });
    const producer = new Kafka({ brokers: kafka.brokers, clientId: 'no-auto', logLevel: logLevel.NOTHING, retry: { retries: 1, initialRetryTime: 50 } }).producer(producerConfig());
    try {
      await producer.connect();
      await expect(producer.send({ topic: uniqueName('missing'), messages: [{ value: 'x' }] })).rejects.toThrow(/does not host this topic-partition/);
    } finally {
      await producer.disconnect();
      await kafka.stop();
    }
  });
});
