import { waitFor } from '@nova/testing';
import { startTarget, failure, type EsTarget } from './support/es-target';

/** Point in time: a frozen view (documents and scoring statistics) that later writes, deletes and merges never change. */
let es: EsTarget;

beforeAll(async () => {
  es = await startTarget();
});
afterAll(async () => {
  await es.stop();
});

type Hit = { _id: string; _score: number | null; _source?: Record<string, unknown>; sort?: unknown[] };
async function pitSearch(body: Record<string, unknown>): Promise<{ pit_id?: string; hits: { total?: { value: number }; hits: Hit[] } }> {
  return (await es.client.search(body as never)) as never;
}

describe('point in time', () => {
  it('keeps the documents and the scores of the moment it was opened, across writes, deletes, refreshes and merges', async () => {
    const index = es.name('pit');
    await es.client.indices.create({ index, settings: { number_of_shards: 1, number_of_replicas: 0 }, mappings: { properties: { text: { type: 'text' }, tag: { type: 'keyword' } } } });
    const docs = Array.from({ length: 1500 }, (_, i) => ({ index: { _id: `d${i}` } })).flatMap((a, i) => [a, { text: i % 3 === 0 ? 'red fox' : 'blue whale', tag: i % 2 === 0 ? 'even' : 'odd' }]);
    await es.client.bulk({ index, refresh: true, operations: docs });
    const query = { match: { text: 'red fox' } };
    const before = (await es.client.search({ index, query, size: 5, track_total_hits: true })) as never as { hits: { total: { value: number }; hits: Hit[] } };
    const { id } = await es.client.openPointInTime({ index, keep_alive: '1m' });

    // After opening: new matches, deleted matches, updated ones (changing the statistics), enough deletes to merge.
    await es.client.bulk({
      index,
      refresh: true,
      operations: [
        { index: { _id: 'new1' } }, { text: 'red fox red fox', tag: 'even' },
        ...Array.from({ length: 1200 }, (_, i) => ({ delete: { _id: `d${i}` } })),
        { index: { _id: 'd1499' } }, { text: 'red red red', tag: 'odd' },
      ],
    });
    await es.client.indices.refresh({ index });

    const res = await pitSearch({ pit: { id, keep_alive: '1m' }, query, size: 5, track_total_hits: true });
    expect(res.pit_id).toEqual(expect.any(String));
    expect(res.hits.total!.value).toBe(before.hits.total.value);
    expect(res.hits.hits.map((h) => [h._id, h._score])).toEqual(before.hits.hits.map((h) => [h._id, h._score]));
    expect(res.hits.hits[0]._source).toEqual({ text: 'red fox', tag: 'even' });
    // The implicit tiebreaker: every hit's sort values end with its _shard_doc.
    expect(res.hits.hits.every((h) => h.sort?.length === 2 && typeof h.sort[1] === 'number')).toBe(true);

    // Filters and ids see the old documents too.
    const evens = await pitSearch({ pit: { id }, query: { bool: { filter: [{ term: { tag: 'even' } }] } }, size: 0, track_total_hits: true });
    expect(evens.hits.total!.value).toBe(750);
    const old = await pitSearch({ pit: { id }, query: { ids: { values: ['d0', 'd1499', 'new1'] } } });
    expect(old.hits.hits.map((h) => h._id).sort()).toEqual(['d0', 'd1499']);

    // Paging with search_after over [_score, _shard_doc] visits every match once.
    const seen = new Set<string>();
    let after: unknown[] | undefined;
    for (;;) {
      const page = await pitSearch({ pit: { id }, query, size: 97, track_total_hits: true, ...(after ? { search_after: after } : {}) });
      expect(page.hits.total!.value).toBe(before.hits.total.value); // every match counts, not only those after the cursor
      if (page.hits.hits.length === 0) break;
      for (const h of page.hits.hits) seen.add(h._id);
      after = page.hits.hits.at(-1)!.sort;
    }
    expect(seen.size).toBe(before.hits.total.value);

    // The current view has moved on.
    const now = (await es.client.search({ index, query, size: 1, track_total_hits: true })) as never as { hits: { total: { value: number } } };
    expect(now.hits.total.value).not.toBe(before.hits.total.value);

    const closed = await es.client.closePointInTime({ id });
    expect(closed).toMatchObject({ succeeded: true, num_freed: 1 });
    const missing = await failure(pitSearch({ pit: { id }, query }));
    expect(missing.status).toBe(404);
    expect(missing.body.error.type).toBe('search_context_missing_exception');
    const again = await failure(es.client.closePointInTime({ id }));
    expect(again.status).toBe(404);
  });

  it('refuses an index in the path and a missing keep_alive', async () => {
    const index = es.name('pit');
    await es.client.indices.create({ index });
    const { id } = await es.client.openPointInTime({ index, keep_alive: '1m' });
    const withIndex = await failure(es.client.transport.request({ method: 'POST', path: `/${index}/_search`, body: { pit: { id } } }));
    expect(withIndex.status).toBe(400);
    expect(withIndex.body.error.reason).toContain('cannot be used with point in time');
    const noKeepAlive = await failure(es.client.transport.request({ method: 'POST', path: `/${index}/_pit` }));
    expect(noKeepAlive.status).toBe(400);
    await es.client.closePointInTime({ id });
  });

  it('expires when its keep_alive passes without use, and each use extends it', async () => {
    if (!es.embedded) return; // waiting out a real keep_alive takes minutes there
    const index = es.name('pit');
    await es.client.indices.create({ index });
    const { id } = await es.client.openPointInTime({ index, keep_alive: '400ms' });
    // Used (and extended) repeatedly for over twice its keep_alive: still there.
    const started = Date.now();
    await waitFor(async () => {
      await pitSearch({ pit: { id, keep_alive: '400ms' }, query: { match_all: {} } });
      return Date.now() - started > 900;
    }, { timeoutMs: 5000 });
    // Then left alone: gone.
    await waitFor(async () => (await failure(pitSearch({ pit: { id }, query: { match_all: {} } }))).status === 404, { timeoutMs: 5000 });
  });
  it('does not hold back the merge of deleted documents: open points in time keep seeing them', async () => {
    const index = es.name('pit');
    await es.client.indices.create({ index, settings: { number_of_shards: 1, number_of_replicas: 0 } });
    await es.client.bulk({ index, refresh: true, operations: Array.from({ length: 3000 }, (_, i) => [{ index: { _id: `d${i}` } }, { text: `doc ${i}` }]).flat() });
    const deletedDocs = async () => ((await es.client.indices.stats({ index })) as never as { _all: { primaries: { docs: { deleted: number } } } })._all.primaries.docs.deleted;
    const a = await es.client.openPointInTime({ index, keep_alive: '1m' });
    await es.client.bulk({ index, refresh: true, operations: Array.from({ length: 1200 }, (_, i) => ({ delete: { _id: `d${i}` } })) });
    const b = await es.client.openPointInTime({ index, keep_alive: '1m' });
    await es.client.bulk({ index, refresh: true, operations: Array.from({ length: 1200 }, (_, i) => ({ delete: { _id: `d${1200 + i}` } })) });
    // Elasticsearch merges on its own schedule (a PIT keeps the old segments); the stand-in merges at the refresh.
    if (es.embedded) expect(await deletedDocs()).toBe(0);
    const count = async (id: string, query: Record<string, unknown>) => (await pitSearch({ pit: { id }, query, size: 0, track_total_hits: true })).hits.total!.value;
    expect(await count(a.id, { match_all: {} })).toBe(3000);
    expect(await count(b.id, { match_all: {} })).toBe(1800);
    expect(await count(a.id, { match: { text: 'doc' } })).toBe(3000);
    const old = await pitSearch({ pit: { id: a.id }, query: { ids: { values: ['d5', 'd1500', 'd2999'] } } });
    expect(old.hits.hits.map((h) => h._id)).toEqual(['d5', 'd1500', 'd2999']);
    const some = await pitSearch({ pit: { id: b.id }, query: { ids: { values: ['d5', 'd1500', 'd2999'] } } });
    expect(some.hits.hits.map((h) => h._id)).toEqual(['d1500', 'd2999']);
    await es.client.closePointInTime({ id: a.id });
    await es.client.closePointInTime({ id: b.id });
  });
});
