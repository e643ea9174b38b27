import { formatLsn } from '@nova/events';
import { waitFor } from '@nova/testing';
import { createSilentLogger } from '@nova/logger';
import { createMetricsRegistry } from '@nova/runtime';
import { createIndexerMetrics } from '../src/metrics/indexer-metrics';
import { TombstonePurger } from '../src/sink/tombstone-purger';
import { diffIndex, readAllDocs, testEs } from './support/es-helpers';
import { novaEvent, prng, uuid, type ExpectedDoc, type OutRecord } from './support/event-story';
import { createTopics, groupCaughtUp, produce } from './support/kafka-helpers';
import { startStack, type Stack } from './support/stack';
import { metricValue, startInProcessWorker, topicList, uniqueNames, workerEnv, type InProcessWorker } from './support/worker-harness';

/**
 * Reordering and duplicates: for one entity, a delete before its persist, an older version after a newer one, the
 * same change twice, and changes of one entity spread over topics and partitions. Versioned writes
 * (external_gte, version = commit LSN) and tombstones must make the final documents right whatever the order.
 */
describe('indexer-worker: reordering and duplicates', () => {
  let stack: Stack;
  let worker: InProcessWorker | undefined;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await worker?.stop();
    await stack?.stop();
  });

  it('ends with each entity at its newest change, deletes staying deleted', async () => {
    const names = uniqueNames('order');
    await createTopics(stack.brokers, topicList(names));
    const random = prng(42);
    const ids = () => ({ id: uuid(random), parent: uuid(random), user: uuid(random) });
    const t = names.topics;
    const expected = new Map<string, ExpectedDoc>();
    const records: OutRecord[] = [];
    const lsn = (n: number) => 0x2_0000_0000n + BigInt(n) * 0x100n;
    const at = (r: OutRecord, partition: number) => ({ ...r, partition });

    // A: delete (v3) arrives first, then the persists newer-to-older, then duplicates: stays a tombstone.
    const a = ids();
    records.push(novaEvent(t, 'message', 'delete', a, lsn(3), ''));
    records.push(novaEvent(t, 'message', 'upsert', a, lsn(2), 'a v2'), novaEvent(t, 'message', 'upsert', a, lsn(1), 'a v1'));
    records.push(novaEvent(t, 'message', 'upsert', a, lsn(2), 'a v2'), novaEvent(t, 'message', 'delete', a, lsn(3), ''));
    expected.set(a.id, { entity: 'message', deleted: true, content: null, sourceLsn: formatLsn(lsn(3)) });

    // B: newer before older on the same topic, an old duplicate on another partition: newest content wins.
    const b = ids();
    records.push(novaEvent(t, 'message', 'upsert', b, lsn(5), 'b v5'), novaEvent(t, 'message', 'upsert', b, lsn(4), 'b v4'));
    records.push(at(novaEvent(t, 'message', 'upsert', b, lsn(4), 'b v4'), 0), at(novaEvent(t, 'message', 'upsert', b, lsn(4), 'b v4'), 2));
    expected.set(b.id, { entity: 'message', deleted: false, content: 'b v5', sourceLsn: formatLsn(lsn(5)) });

    // C (post): re-published after its delete (an undelete at a higher LSN), the delete arriving last.
    const c = ids();
    records.push(novaEvent(t, 'post', 'upsert', c, lsn(9), 'c v9'), novaEvent(t, 'post', 'upsert', c, lsn(6), 'c v6'));
    records.push(at(novaEvent(t, 'post', 'delete', c, lsn(7), ''), 1));
    expected.set(c.id, { entity: 'post', deleted: false, content: 'c v9', sourceLsn: formatLsn(lsn(9)) });

    // D (post): persist, then delete, each also duplicated on other partitions, delete first.
    const d = ids();
    for (const p of [0, 1, 2]) records.push(at(novaEvent(t, 'post', 'delete', d, lsn(11), ''), p));
    for (const p of [2, 1, 0]) records.push(at(novaEvent(t, 'post', 'upsert', d, lsn(10), 'd v10'), p));
    expected.set(d.id, { entity: 'post', deleted: true, content: null, sourceLsn: formatLsn(lsn(11)) });

    // E: several changes of one row in one transaction share the commit LSN; partition order applies the last one.
    const e = ids();
    records.push(novaEvent(t, 'message', 'upsert', e, lsn(12), 'e first'), novaEvent(t, 'message', 'upsert', e, lsn(12), 'e last'));
    expected.set(e.id, { entity: 'message', deleted: false, content: 'e last', sourceLsn: formatLsn(lsn(12)) });

    // Half the records before the worker starts, half while it runs (a late, older write must still lose).
    await produce(stack.brokers, records.slice(0, 7));
    worker = await startInProcessWorker(workerEnv(stack.brokers, stack.esUrl, names));
    await produce(stack.brokers, records.slice(7));
    await waitFor(() => groupCaughtUp(stack.brokers, names.groupId, topicList(names)), { timeoutMs: 30_000, what: 'the worker to commit every record' });
    expect(await diffIndex(stack.esUrl, names.aliases, expected)).toEqual([]);
    expect(await metricValue(worker.registry, 'nova_indexer_records_indexed_total', { result: 'stale' })).toBeGreaterThan(0);
    await worker.stop();
    worker = undefined;

    // Replaying everything (a new group reading from the start) changes nothing.
    const replay = { ...names, groupId: `${names.groupId}-replay` };
    worker = await startInProcessWorker(workerEnv(stack.brokers, stack.esUrl, replay));
    await waitFor(() => groupCaughtUp(stack.brokers, replay.groupId, topicList(replay)), { timeoutMs: 30_000, what: 'the replay' });
    expect(await diffIndex(stack.esUrl, names.aliases, expected)).toEqual([]);
    const docs = await readAllDocs(stack.esUrl, names.aliases.message);
    expect(docs.get(a.id)).toMatchObject({ deleted: true, content: '' });
    expect(typeof docs.get(a.id)?.['deleted_at']).toBe('string');

    // The purge job removes tombstones older than the horizon, and nothing else.
    const es = testEs(stack.esUrl);
    const horizonMs = 60 * 60_000;
    const purger = new TombstonePurger(es, { indices: [names.aliases.message, names.aliases.post], horizonMs, intervalMs: 0 }, createSilentLogger(), createIndexerMetrics(createMetricsRegistry('purge-test')));
    expect(await purger.purgeOnce(new Date())).toBe(0);
    expect(await purger.purgeOnce(new Date(Date.now() + horizonMs + 60_000))).toBe(2);
    await es.close();
    const after = new Map([...(await readAllDocs(stack.esUrl, names.aliases.message)), ...(await readAllDocs(stack.esUrl, names.aliases.post))]);
    expect([...after.keys()].sort()).toEqual([b.id, c.id, e.id].sort());
  });
});
