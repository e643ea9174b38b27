import { CompressionTypes } from 'kafkajs';
import { waitFor } from '@nova/testing';
import { consumerConfig, disconnectAll, embeddedBrokerUnderTest, producerConfig, runCollecting, uniqueName, type BrokerUnderTest, type Received } from './support/broker-under-test';

/**
 * The exact (API key, version) pairs kafkajs 2.2.4 uses against this broker over a full admin + producer + consumer
 * group session. A kafkajs upgrade that negotiates differently fails here, so the change is looked at.
 */
describe('kafkajs negotiated API versions', () => {
  let broker: BrokerUnderTest;
  afterAll(async () => broker?.stop());

  it('is exactly the expected set', async () => {
    broker = await embeddedBrokerUnderTest();
    const kafka = broker.kafka('negotiation');
    const admin = kafka.admin();
    const producer = kafka.producer(producerConfig({ idempotent: true, maxInFlightRequests: 1 }));
    const consumer = kafka.consumer(consumerConfig(broker, uniqueName('neg-group')));
    try {
      await admin.connect();
      const topic = uniqueName('neg');
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
      await admin.createPartitions({ topicPartitions: [{ topic, count: 2 }] });
      await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: topic }] });
      await producer.connect();
      await producer.send({ topic, compression: CompressionTypes.GZIP, messages: [{ key: 'k', value: 'v' }] });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      let heartbeats = 0;
      consumer.on(consumer.events.HEARTBEAT, () => heartbeats++);
      const got: Received[] = [];
      await runCollecting(consumer, got);
      await waitFor(() => got.length === 1 && heartbeats > 0, { timeoutMs: 15_000, what: 'the message and a heartbeat' });
      await admin.fetchTopicOffsets(topic);
      await admin.fetchOffsets({ groupId: 'neg-none', topics: [topic] });
      await consumer.disconnect();
      const groups = (await admin.listGroups()).groups.map((g) => g.groupId);
      await admin.describeGroups(groups);
      await admin.deleteGroups(groups);
      await admin.deleteTopics({ topics: [topic] });
    } finally {
      await disconnectAll(consumer, producer, admin);
    }
    expect(broker.embedded?.seenApiVersions()).toEqual([
      '0:7', // Produce
      '1:11', // Fetch
      '2:3', // ListOffsets
      '3:6', // Metadata
      '8:5', // OffsetCommit
      '9:4', // OffsetFetch
      '10:2', // FindCoordinator
      '11:5', // JoinGroup
      '12:3', // Heartbeat
      '13:3', // LeaveGroup
      '14:3', // SyncGroup
      '15:2', // DescribeGroups
      '16:2', // ListGroups
      '18:2', // ApiVersions
      '19:3', // CreateTopics
      '20:1', // DeleteTopics
      '22:1', // InitProducerId
      '32:2', // DescribeConfigs
      '37:1', // CreatePartitions
      '42:1', // DeleteGroups
    ]);
  });
});
