import type { Admin } from 'kafkajs';
import { spawnTsService, waitFor, type ChildService } from '@nova/testing';
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

describe('contract: a consumer SIGKILLed mid-work (kafkajs, child process)', () => {
  let broker: BrokerUnderTest;
  let admin: Admin;
  let child: ChildService | undefined;
  const open: Array<Producer | Consumer> = [];

  beforeAll(async () => {
    broker = await startBrokerUnderTest();
    admin = broker.kafka('crash-admin').admin();
    await admin.connect();
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await disconnectAll(...open, admin);
    await broker?.stop();
  });

  it('the survivor receives exactly the uncommitted rest', async () => {
    const topic = uniqueName('crash');
    const groupId = uniqueName('crash-group');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    const producer = broker.kafka('crash-producer').producer(producerConfig({ idempotent: true, maxInFlightRequests: 1 }));
    open.push(producer);
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 20 }, (_, i) => ({ value: `m${i}` })) });

    child = spawnTsService('infra/embedded-kafka/test/support/child-consumer.ts', {
      BROKERS: broker.brokers.join(','),
      TOPIC: topic,
      GROUP_ID: groupId,
      COMMIT_COUNT: '8',
      SESSION_TIMEOUT_MS: String(broker.sessionTimeout),
    });
    const running = child;
    await waitFor(() => running.output().includes('STALLED 8'), { timeoutMs: 30_000, what: `the child to commit 8 and stall (output: ${running.output()})` });
    running.kill('SIGKILL');
    await running.exited;
    expect((await admin.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions[0]?.offset).toBe('8');

    const survivor = broker.kafka('crash-survivor').consumer(consumerConfig(broker, groupId));
    open.push(survivor);
    const got: Received[] = [];
    await survivor.connect();
    await survivor.subscribe({ topic, fromBeginning: true });
    await runCollecting(survivor, got);
    // The dead member stays in the group until its session times out; then the survivor owns the partition.
    await waitFor(() => got.length >= 12, { timeoutMs: 30_000, what: 'the 12 uncommitted messages' });
    await waitFor(async () => (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions[0]?.offset === '20', { what: 'survivor commit' });
    expect(got.map((m) => m.value)).toEqual(Array.from({ length: 12 }, (_, i) => `m${i + 8}`));
  });
});
