import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { formatLsn, normalize } from '@nova/events';
import { WORKSPACE_ROOT, waitFor } from '@nova/testing';
import { DLQ_HEADERS } from '../src/dead-letter/dead-letter-publisher';
import { readAllDocs } from './support/es-helpers';
import { novaEvent, prng, uuid, type OutRecord } from './support/event-story';
import { createTopics, groupCaughtUp, produce, readTopic } from './support/kafka-helpers';
import { startStack, type Stack } from './support/stack';
import { metricValue, startInProcessWorker, topicList, uniqueNames, workerEnv, type InProcessWorker } from './support/worker-harness';

const FIXTURES = path.join(WORKSPACE_ROOT, 'libs/events/src/fixtures');
const FIXTURE_IDS = { message: '7d0c2a8e-3b1f-4c55-9a0e-2f6d8b1c4e01', post: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b04' };

describe('indexer-worker: input formats and bad input', () => {
  let stack: Stack;
  const workers: InProcessWorker[] = [];

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    for (const w of workers) await w.stop();
    await stack?.stop();
  });

  it('indexes the original flat payload byte for byte and every Debezium fixture', async () => {
    const names = uniqueNames('formats');
    const debezium = { messages: `${names.groupId}.nova.public.messages`, posts: `${names.groupId}.nova.public.posts` };
    await createTopics(stack.brokers, [...topicList(names), debezium.messages, debezium.posts]);
    const legacy = readFileSync(path.join(FIXTURES, 'legacy-message-persisted.json'));
    expect(legacy.toString()).toBe(
      '{"message_id":"550e8400-e29b-41d4-a716-446655440000","conversation_id":"550e8400-e29b-41d4-a716-446655440001","sender_id":"550e8400-e29b-41d4-a716-446655440002","content":"test"}',
    );
    const records: OutRecord[] = [{ topic: names.topics.messagePersisted, key: null, value: legacy }];
    // Each Debezium fixture about our tables gets entity ids of its own, so every one is checked on its own.
    const random = prng(7);
    const expectations: Array<{ file: string; id: string; outcome: ReturnType<typeof normalize>; entity: 'message' | 'post' }> = [];
    for (const file of readdirSync(FIXTURES).filter((f) => f.startsWith('debezium-')).sort()) {
      const entity = file.includes('post') ? 'post' : 'message';
      const id = uuid(random);
      const text = readFileSync(path.join(FIXTURES, file), 'utf8').replaceAll(FIXTURE_IDS.message, id).replaceAll(FIXTURE_IDS.post, id);
      const topic = entity === 'post' ? debezium.posts : debezium.messages;
      const key = file.includes('truncate') || file.includes('users') ? null : JSON.stringify({ id });
      records.push({ topic, key, value: text });
      expectations.push({ file, id, entity, outcome: normalize({ topic, key, value: text }, { topics: names.topics }) });
    }
    await produce(stack.brokers, records);
    const worker = await startInProcessWorker(workerEnv(stack.brokers, stack.esUrl, names, { KAFKA_DEBEZIUM_TOPICS: `${debezium.messages},${debezium.posts}` }));
    workers.push(worker);
    await waitFor(() => groupCaughtUp(stack.brokers, names.groupId, [...topicList(names), debezium.messages, debezium.posts]), { timeoutMs: 30_000, what: 'all records committed' });

    const messages = await readAllDocs(stack.esUrl, names.aliases.message);
    const posts = await readAllDocs(stack.esUrl, names.aliases.post);
    expect(messages.get('550e8400-e29b-41d4-a716-446655440000')).toMatchObject({
      conversation_id: '550e8400-e29b-41d4-a716-446655440001',
      sender_id: '550e8400-e29b-41d4-a716-446655440002',
      content: 'test',
      deleted: false,
      source_lsn: null,
    });
    let indexed = 0;
    let deadLettered = 0;
    for (const { file, id, entity, outcome } of expectations) {
      const doc = (entity === 'post' ? posts : messages).get(id);
      if (outcome.kind === 'change') {
        indexed++;
        expect({ file, doc }).toMatchObject({
          file,
          doc: { id, deleted: outcome.change.operation === 'delete', source_lsn: outcome.change.version === null ? null : formatLsn(outcome.change.version) },
        });
      } else {
        if (outcome.kind === 'invalid') deadLettered++;
        expect({ file, doc }).toEqual({ file, doc: undefined });
      }
    }
    expect(indexed).toBeGreaterThanOrEqual(8);
    expect(await metricValue(worker.registry, 'nova_indexer_records_dead_lettered_total')).toBe(deadLettered);
  });

  it('dead-letters 1,000 malformed records of varied kinds with a reason, indexes every good one, never stops', async () => {
    const names = uniqueNames('malformed');
    await createTopics(stack.brokers, topicList(names));
    const t = names.topics;
    const random = prng(99);
    const good: OutRecord[] = [];
    const records: OutRecord[] = [];
    const bad: OutRecord[] = [];
    const validMessage = (lsn: bigint) => novaEvent(t, 'message', 'upsert', { id: uuid(random), parent: uuid(random), user: uuid(random) }, lsn, `hello ${lsn}`);
    const kinds: Array<(i: number) => OutRecord> = [
      () => ({ topic: t.messagePersisted, key: null, value: Buffer.from('{"message_id": "oops"') }), // truncated JSON
      () => ({ topic: t.messagePersisted, key: null, value: Buffer.from([0xc3, 0x28, 0xff, 0xfe]) }), // not UTF-8
      () => ({ topic: t.postPersisted, key: null, value: '[1,2,3]' }), // not an object
      () => ({ topic: t.messageDeleted, key: null, value: '   ' }), // blank bytes
      (i) => ({ ...validMessage(0x3_0000_0000n + BigInt(i)), key: uuid(random) }), // key names another entity
      (i) => {
        const r = validMessage(0x3_0000_0000n + BigInt(i));
        return { ...r, value: String(r.value).replace(/"commit_lsn":"[^"]+"/, '"commit_lsn":"not-an-lsn"') };
      },
      (i) => {
        const r = validMessage(0x3_0000_0000n + BigInt(i));
        return { ...r, value: String(r.value).replace(/"message_id":"[^"]+"/, '"message_id":"12345"') }; // bad uuid
      },
      () => ({ topic: t.postPersisted, key: null, value: JSON.stringify({ post_id: uuid(random), title: 'no author' }) }), // legacy, missing fields
      () => ({ topic: t.messagePersisted, key: null, value: JSON.stringify({ op: 't', source: { table: 'messages', lsn: 1 } }) }), // truncate
      () => ({ topic: t.postDeleted, key: null, value: JSON.stringify({ event_type: 'post_deleted', schema_version: 2 }) }), // unknown schema version
    ];
    let lsn = 0x4_0000_0000n;
    for (let i = 0; i < 1_000; i++) {
      lsn += 16n;
      const g = validMessage(lsn);
      good.push(g);
      records.push(g);
      const b = kinds[i % kinds.length](i);
      bad.push(b);
      records.push(b);
    }
    // Skipped, not dead-lettered: empty content (as the original did) and Kafka tombstones.
    records.push({ topic: t.messagePersisted, key: null, value: JSON.stringify({ message_id: uuid(random), conversation_id: uuid(random), sender_id: uuid(random), content: '' }) });
    records.push({ topic: t.messagePersisted, key: uuid(random), value: null });
    await produce(stack.brokers, records);
    const worker = await startInProcessWorker(workerEnv(stack.brokers, stack.esUrl, names, { INDEXER_BULK_MAX_DOCS: '200' }));
    workers.push(worker);
    await waitFor(() => groupCaughtUp(stack.brokers, names.groupId, topicList(names)), { timeoutMs: 60_000, what: 'all records committed' });

    const docs = await readAllDocs(stack.esUrl, names.aliases.message);
    for (const g of good) expect(docs.get(String(g.key))).toMatchObject({ deleted: false });
    expect(docs.size).toBe(good.length);
    expect(await metricValue(worker.registry, 'nova_indexer_records_skipped_total', { reason: 'empty_content' })).toBe(1);
    expect(await metricValue(worker.registry, 'nova_indexer_records_skipped_total', { reason: 'tombstone' })).toBe(1);
    expect(await metricValue(worker.registry, 'nova_indexer_records_dead_lettered_total')).toBe(1_000);

    // Each bad record is in its topic's dead-letter topic: original bytes and headers, reason and origin.
    const dlq = (
      await Promise.all(
        topicList(names).map(async (topic) => {
          const expectedCount = bad.filter((b) => b.topic === topic).length;
          return (await readTopic(stack.brokers, `${topic}.dlq`, expectedCount)).map((m) => ({ topic, m }));
        }),
      )
    ).flat();
    expect(dlq).toHaveLength(1_000);
    const badValues = new Set(bad.map((b) => (b.value === null ? 'null' : Buffer.from(b.value).toString('base64'))));
    for (const { topic, m } of dlq) {
      const h = (name: string) => m.headers?.[name]?.toString();
      expect(h(DLQ_HEADERS.reason)?.length).toBeGreaterThan(5);
      expect(h(DLQ_HEADERS.code)).toMatch(/^EVENT_(UNPARSEABLE|INVALID|UNSUPPORTED)$/);
      expect(h(DLQ_HEADERS.topic)).toBe(topic);
      expect(Number(h(DLQ_HEADERS.partition))).toBeGreaterThanOrEqual(0);
      expect(h(DLQ_HEADERS.offset)).toMatch(/^\d+$/);
      expect(badValues.has(m.value === null ? 'null' : m.value.toString('base64'))).toBe(true);
    }
    // The worker went on: each of its group members joined once, no consumer crash.
    const logs = worker.logs();
    const joins = logs.filter((l) => l['message'] === 'Joined consumer group');
    expect(joins.length).toBeGreaterThan(0);
    expect(new Set(joins.map((l) => l['member'])).size).toBe(joins.length);
    expect(logs.filter((l) => l['message'] === 'Kafka error')).toHaveLength(0);
    expect(worker.worker.readiness().ready).toBe(true);
  });
});
