import { waitFor } from '@nova/testing';
import { spawnWorker, waitReady, type ChildWorker } from './support/child-worker';
import { diffIndex } from './support/es-helpers';
import { randomStory } from './support/event-story';
import { createTopics, groupCaughtUp, produce } from './support/kafka-helpers';
import { startStack, type Stack } from './support/stack';
import { topicList, uniqueNames, workerEnv } from './support/worker-harness';

type Assignment = Record<string, number[]>;
/** Partitions a worker process owns: the sum over its group members (INDEXER_CONSUMERS) of each one's latest assignment. */
const partitionsOf = (worker: ChildWorker) => {
  const latest = new Map<unknown, Record<string, unknown>>();
  for (const join of worker.joins()) latest.set(join['member'], join);
  return [...latest.values()].reduce((n, join) => n + Object.values((join['assignment'] ?? {}) as Assignment).reduce((m, list) => m + list.length, 0), 0);
};

describe('indexer-worker: two workers, one killed', () => {
  let stack: Stack;
  const children: ChildWorker[] = [];

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    for (const c of children) c.service.kill('SIGKILL');
    await Promise.all(children.map((c) => c.service.exited));
    await stack?.stop();
  });

  it('moves the dead worker’s partitions to the survivor with no loss', async () => {
    const names = uniqueNames('failover');
    const topics = topicList(names);
    await createTopics(stack.brokers, topics);
    const env = workerEnv(stack.brokers, stack.esUrl, names, { INDEXER_BULK_MAX_DOCS: '200' });
    const [a, b] = [await spawnWorker(env), await spawnWorker(env)];
    children.push(a, b);
    await Promise.all([waitReady(a), waitReady(b)]);
    // Both members own part of the 12 partitions.
    await waitFor(() => partitionsOf(a) > 0 && partitionsOf(b) > 0 && partitionsOf(a) + partitionsOf(b) === 12, {
      timeoutMs: 30_000,
      what: 'the two workers to split the partitions',
    });

    const story = randomStory(names.topics, 6_000, 1_500, 11);
    const producing = produce(stack.brokers, story.records, 500);
    await waitFor(async () => (await a.indexed()) >= 300, { timeoutMs: 30_000, intervalMs: 25, what: 'worker A to index some records' });
    a.service.kill('SIGKILL');
    await a.service.exited;
    await producing;

    await waitFor(() => groupCaughtUp(stack.brokers, names.groupId, topics), { timeoutMs: 60_000, intervalMs: 250, what: 'the survivor to catch up' });
    expect(partitionsOf(b)).toBe(12);
    expect(await diffIndex(stack.esUrl, names.aliases, story.expected)).toEqual([]);
    b.service.kill('SIGTERM');
    expect(await b.service.exited).toBe(0);
  });
});
