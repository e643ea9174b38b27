import type { Admin } from 'kafkajs';
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

/** Partitions currently assigned to a consumer, from kafkajs's GROUP_JOIN event. */
function trackAssignment(consumer: Consumer, topic: string): { current: number[] } {
  const state = { current: [] as number[] };
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    state.current = [...(e.payload.memberAssignment[topic] ?? [])].sort();
  });
  return state;
}

describe('contract: consumer groups (kafkajs)', () => {
  let broker: BrokerUnderTest;
  let admin: Admin;
  const open: Array<Producer | Consumer> = [];

  beforeAll(async () => {
    broker = await startBrokerUnderTest();
    admin = broker.kafka('contract-groups').admin();
    await admin.connect();
  });
  afterAll(async () => {
    await disconnectAll(...open, admin);
    await broker?.stop();
  });

  it('two consumers split four partitions through a real rebalance, and describe/list/delete groups', async () => {
    const topic = uniqueName('split');
    const groupId = uniqueName('split-group');
    await admin.createTopics({ topics: [{ topic, numPartitions: 4 }] });
    const producer = broker.kafka('split-producer').producer(producerConfig());
    open.push(producer);
    await producer.connect();
    const send = (from: number, n: number) =>
      producer.send({ topic, messages: Array.from({ length: n }, (_, i) => ({ key: `k${from + i}`, value: `v${from + i}` })) });

    const first = broker.kafka('split-a').consumer(consumerConfig(broker, groupId));
    open.push(first);
    const firstAssigned = trackAssignment(first, topic);
    const got: Received[] = [];
    await first.connect();
    await first.subscribe({ topic, fromBeginning: true });
    await runCollecting(first, got);
    await send(0, 40);
    await waitFor(() => firstAssigned.current.length === 4 && got.length >= 40, { timeoutMs: 20_000, what: 'first consumer owning all 4 partitions' });

    const second = broker.kafka('split-b').consumer(consumerConfig(broker, groupId));
    open.push(second);
    const secondAssigned = trackAssignment(second, topic);
    await second.connect();
    await second.subscribe({ topic, fromBeginning: true });
    await runCollecting(second, got);
    await waitFor(() => firstAssigned.current.length === 2 && secondAssigned.current.length === 2, {
      timeoutMs: 30_000,
      what: 'a 2/2 split after the rebalance',
    });
    expect([...firstAssigned.current, ...secondAssigned.current].sort()).toEqual([0, 1, 2, 3]);

    await send(40, 40);
    await waitFor(() => new Set(got.map((m) => m.value)).size >= 80, { timeoutMs: 20_000, what: 'all 80 messages' });
    const secondPartitions = new Set(got.slice(40).filter((m) => secondAssigned.current.includes(m.partition)).map((m) => m.partition));
    expect(secondPartitions.size).toBeGreaterThan(0);

    const described = await admin.describeGroups([groupId]);
    expect(described.groups[0]).toMatchObject({ groupId, state: 'Stable', protocolType: 'consumer', protocol: 'RoundRobinAssigner' });
    expect(described.groups[0].members).toHaveLength(2);
    const listed = await admin.listGroups();
    expect(listed.groups).toEqual(expect.arrayContaining([{ groupId, protocolType: 'consumer' }]));
    // A group with members cannot be deleted.
    await expect(admin.deleteGroups([groupId])).rejects.toMatchObject({ groups: [expect.objectContaining({ errorCode: 68 })] });

    await first.disconnect();
    await second.disconnect();
    await waitFor(async () => (await admin.describeGroups([groupId])).groups[0].state === 'Empty', { what: 'an empty group' });
    await expect(admin.deleteGroups([groupId])).resolves.toEqual([expect.objectContaining({ groupId, errorCode: 0 })]);
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain(groupId);
    const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(offsets[0].partitions.every((p) => p.offset === '-1')).toBe(true);
  });
});
