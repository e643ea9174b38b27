import { waitFor } from '@nova/testing';
import { diffIndex } from './support/es-helpers';
import { randomStory } from './support/event-story';
import { createTopics, groupCaughtUp, produce, testKafka } from './support/kafka-helpers';
import { esFaults, startStack, type Stack } from './support/stack';
import { metricValue, startInProcessWorker, topicList, uniqueNames, workerEnv, type InProcessWorker } from './support/worker-harness';

async function describeGroup(brokers: string[], groupId: string) {
  const admin = testKafka(brokers).admin();
  await admin.connect();
  try {
    return (await admin.describeGroups([groupId])).groups[0];
  } finally {
    await admin.disconnect();
  }
}

describe('indexer-worker: several consumer group members in one process (INDEXER_CONSUMERS)', () => {
  let stack: Stack;
  const workers: InProcessWorker[] = [];

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    for (const w of workers) await w.stop();
    await stack?.stop();
  });

  it('three members share the partitions; through an outage, a rebalance and a stop nothing is lost and the group is left', async () => {
    const names = uniqueNames('members');
    const topics = topicList(names);
    await createTopics(stack.brokers, topics);
    // Small bulks and large fetches: every batch has several chunks, so chunks are prepared ahead of the bulk in flight.
    const env = workerEnv(stack.brokers, stack.esUrl, names, { INDEXER_CONSUMERS: '3', INDEXER_BULK_MAX_DOCS: '40', INDEXER_FETCH_MAX_BYTES_PER_PARTITION: '1048576' });
    const worker = await startInProcessWorker(env);
    workers.push(worker);
    await waitFor(() => worker.worker.readiness().ready, { what: 'the worker to be ready' });
    const group = await describeGroup(stack.brokers, names.groupId);
    expect(group.members).toHaveLength(3);

    // An outage while the first records arrive: every member pauses what it owns, then resumes.
    const story = randomStory(names.topics, 6_000, 1_500, 21);
    esFaults(stack).unavailableFor(3_000);
    await produce(stack.brokers, story.records.slice(0, 3_000));
    await waitFor(async () => (await metricValue(worker.registry, 'nova_indexer_paused_partitions')) > 0, { what: 'partitions to pause' });
    await waitFor(async () => (await metricValue(worker.registry, 'nova_indexer_records_indexed_total')) >= 500, { timeoutMs: 30_000, intervalMs: 25, what: 'indexing to resume' });

    // A second process joins while batches are in flight (a rebalance), then stops (another one).
    const other = await startInProcessWorker(env);
    workers.push(other);
    await produce(stack.brokers, story.records.slice(3_000));
    await waitFor(async () => (await metricValue(other.registry, 'nova_indexer_records_indexed_total')) > 0, { timeoutMs: 30_000, intervalMs: 25, what: 'the newcomer to index' });
    await other.stop();

    await waitFor(() => groupCaughtUp(stack.brokers, names.groupId, topics), { timeoutMs: 60_000, intervalMs: 250, what: 'the group to catch up' });
    expect(await diffIndex(stack.esUrl, names.aliases, story.expected)).toEqual([]);
    expect(await metricValue(worker.registry, 'nova_indexer_paused_partitions')).toBe(0);
    await worker.stop();
    expect(await describeGroup(stack.brokers, names.groupId)).toMatchObject({ state: 'Empty', members: [] });
  });
});
