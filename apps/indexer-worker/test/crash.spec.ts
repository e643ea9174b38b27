import { waitFor } from '@nova/testing';
import { spawnWorker, waitReady, type ChildWorker } from './support/child-worker';
import { diffIndex } from './support/es-helpers';
import { prng, randomStory } from './support/event-story';
import { createTopics, groupCaughtUp, produce } from './support/kafka-helpers';
import { startStack, type Stack } from './support/stack';
import { topicList, uniqueNames, workerEnv } from './support/worker-harness';

/**
 * At least once, for real: a worker process is SIGKILLed at random points while 20,000 events stream in, then
 * restarted, several rounds. Offsets are committed only after Elasticsearch accepted everything before them, so
 * each restart redelivers what was not finished; versions make the redelivery harmless.
 */
describe('indexer-worker: crash test', () => {
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

  it('ends with the index equal to the expected state after SIGKILLs at random points', async () => {
    const seed = Number(process.env['CRASH_SEED'] ?? Date.now() % 100_000);
    const random = prng(seed);
    const names = uniqueNames('crash');
    const topics = topicList(names);
    await createTopics(stack.brokers, topics);
    const story = randomStory(names.topics, Number(process.env['CRASH_EVENTS'] ?? 20_000), 4_000, seed);
    const env = workerEnv(stack.brokers, stack.esUrl, names, { INDEXER_BULK_MAX_DOCS: '500', LOG_LEVEL: 'warn' });

    // The events arrive while the worker runs and dies.
    const producing = (async () => {
      for (let i = 0; i < story.records.length; i += 1_000) await produce(stack.brokers, story.records.slice(i, i + 1_000));
    })();
    let killed = 0;
    for (let round = 0; round < 4; round++) {
      const worker = await spawnWorker(env);
      children.push(worker);
      const threshold = 200 + Math.floor(random() * 3_000);
      await waitFor(async () => (await worker.indexed()) >= threshold || (await groupCaughtUp(stack.brokers, names.groupId, topics)), {
        timeoutMs: 60_000,
        intervalMs: 25,
        what: `round ${round}: ${threshold} records indexed (seed ${seed})`,
      });
      worker.service.kill('SIGKILL');
      await worker.service.exited;
      killed++;
    }
    await producing;

    const last = await spawnWorker(env);
    children.push(last);
    await waitReady(last);
    await waitFor(() => groupCaughtUp(stack.brokers, names.groupId, topics), { timeoutMs: 90_000, intervalMs: 250, what: `the final worker to catch up (seed ${seed})` });
    expect({ seed, problems: (await diffIndex(stack.esUrl, names.aliases, story.expected)).slice(0, 20) }).toEqual({ seed, problems: [] });
    expect(killed).toBe(4);
    last.service.kill('SIGTERM');
    expect(await last.service.exited).toBe(0);
  });
});
