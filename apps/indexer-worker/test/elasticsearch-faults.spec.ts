import { MESSAGE_MAPPINGS, concreteIndexName, indexSettings } from '@nova/search-index';
import { waitFor } from '@nova/testing';
import { DLQ_HEADERS } from '../src/dead-letter/dead-letter-publisher';
import { diffIndex, readAllDocs, testEs } from './support/es-helpers';
import { novaEvent, prng, randomStory, uuid } from './support/event-story';
import { createTopics, groupCaughtUp, produce, readTopic } from './support/kafka-helpers';
import { esFaults, startStack, type Stack } from './support/stack';
import { metricValue, startInProcessWorker, topicList, uniqueNames, workerEnv, type InProcessWorker } from './support/worker-harness';

const indexedTotal = (w: InProcessWorker) => metricValue(w.registry, 'nova_indexer_records_indexed_total');

describe('indexer-worker: Elasticsearch failures', () => {
  let stack: Stack;
  const workers: InProcessWorker[] = [];

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    for (const w of workers) await w.stop();
    await stack?.stop();
  });

  it('pauses through 10 s of 503, then retries only the items answered 429; nothing lost', async () => {
    const names = uniqueNames('esfault');
    await createTopics(stack.brokers, topicList(names));
    const worker = await startInProcessWorker(workerEnv(stack.brokers, stack.esUrl, names, { INDEXER_BULK_MAX_DOCS: '250' }));
    workers.push(worker);
    await waitFor(() => worker.worker.readiness().ready, { what: 'the worker to be ready' });

    // Phase 1: Elasticsearch answers 503 to everything for 10 s while 3,000 events arrive.
    const first = randomStory(names.topics, 3_000, 800, 1);
    const outageStarted = Date.now();
    esFaults(stack).unavailableFor(10_000);
    await produce(stack.brokers, first.records);
    await waitFor(async () => (await metricValue(worker.registry, 'nova_indexer_paused_partitions')) > 0, { what: 'partitions to pause' });
    expect(worker.worker.readiness()).toMatchObject({ ready: false, details: { elasticsearch: 'down' } });
    expect(await groupCaughtUp(stack.brokers, names.groupId, topicList(names))).toBe(false);
    await waitFor(() => groupCaughtUp(stack.brokers, names.groupId, topicList(names)), { timeoutMs: 45_000, intervalMs: 250, what: 'recovery after the outage' });
    expect(Date.now() - outageStarted).toBeGreaterThanOrEqual(10_000);
    expect(await diffIndex(stack.esUrl, names.aliases, first.expected)).toEqual([]);
    expect(await metricValue(worker.registry, 'nova_indexer_paused_partitions')).toBe(0);
    expect(worker.worker.readiness().ready).toBe(true);

    // Phase 2: the next 150 bulk items are answered 429: only those are sent again.
    const second = randomStory(names.topics, 3_000, 800, 2);
    const before = await indexedTotal(worker);
    esFaults(stack).rejectNextBulkItems(150);
    await produce(stack.brokers, second.records);
    await waitFor(() => groupCaughtUp(stack.brokers, names.groupId, topicList(names)), { timeoutMs: 45_000, intervalMs: 250, what: 'the 429 phase' });
    expect(await metricValue(worker.registry, 'nova_indexer_records_retried_total', { status: '429' })).toBe(150);
    expect((await indexedTotal(worker)) - before).toBe(second.records.length);
    expect(await diffIndex(stack.esUrl, names.aliases, new Map([...first.expected, ...second.expected]))).toEqual([]);
  });

  it('dead-letters an item Elasticsearch rejects with a 4xx and indexes the rest', async () => {
    const names = uniqueNames('es4xx');
    await createTopics(stack.brokers, topicList(names));
    // An index whose `content` is numeric: a text content is refused with 400 mapper_parsing_exception.
    const es = testEs(stack.esUrl);
    await es.indices.create({
      index: concreteIndexName(names.aliases.message),
      settings: indexSettings(),
      mappings: { ...MESSAGE_MAPPINGS, properties: { ...MESSAGE_MAPPINGS.properties, content: { type: 'long' } } } as never,
      aliases: { [names.aliases.message]: {} },
    });
    await es.close();
    const random = prng(5);
    const ids = () => ({ id: uuid(random), parent: uuid(random), user: uuid(random) });
    const numeric = novaEvent(names.topics, 'message', 'upsert', ids(), 0x5_0000_0000n, '42');
    // With a header of its own: the dead letter must keep the original headers next to the reason.
    const wordy = { ...novaEvent(names.topics, 'message', 'upsert', ids(), 0x5_0000_0100n, 'forty-two'), headers: { event_type: 'message_persisted' } };
    await produce(stack.brokers, [numeric, wordy]);
    const worker = await startInProcessWorker(workerEnv(stack.brokers, stack.esUrl, names));
    workers.push(worker);
    await waitFor(() => groupCaughtUp(stack.brokers, names.groupId, topicList(names)), { timeoutMs: 30_000, what: 'both records committed' });
    const docs = await readAllDocs(stack.esUrl, names.aliases.message);
    expect([...docs.keys()]).toEqual([numeric.key]);
    const [letter] = await readTopic(stack.brokers, `${names.topics.messagePersisted}.dlq`, 1);
    expect(letter.key?.toString()).toBe(wordy.key);
    expect(letter.value?.toString()).toBe(wordy.value);
    expect(letter.headers?.[DLQ_HEADERS.code]?.toString()).toBe('ES_REJECTED');
    expect(letter.headers?.[DLQ_HEADERS.reason]?.toString()).toMatch(/^400 /);
    expect(letter.headers?.['event_type']?.toString()).toBe('message_persisted');
  });
});
