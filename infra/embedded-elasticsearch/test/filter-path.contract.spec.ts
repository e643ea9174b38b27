import { MESSAGE_MAPPINGS, indexSettings } from '@nova/search-index';
import { failure, message, startTarget, type EsTarget } from './support/es-target';

let es: EsTarget;
beforeAll(async () => {
  es = await startTarget();
});
afterAll(async () => {
  await es?.stop();
});

async function messagesIndex(): Promise<string> {
  const index = es.name('filter');
  await es.client.indices.create({ index, settings: indexSettings(), mappings: MESSAGE_MAPPINGS as never });
  return index;
}

async function indexWithDocs(ids: string[]): Promise<string> {
  const index = await messagesIndex();
  await es.client.bulk({ index, refresh: true, operations: ids.flatMap((id) => [{ index: { _id: id } }, message(id, `text ${id}`)]) });
  return index;
}

describe('filter_path (response filtering)', () => {
  it('bulk with items.*.status,items.*.error: per-item statuses and errors in order, nothing else', async () => {
    const index = await messagesIndex();
    const res = await es.client.bulk({
      filter_path: 'items.*.status,items.*.error',
      operations: [
        { index: { _index: index, _id: '1', version: 3, version_type: 'external_gte' } }, message('1', 'first'),
        { index: { _index: index, _id: '1', version: 2, version_type: 'external_gte' } }, message('1', 'older'),
        { index: { _index: index, _id: '2' } }, { ...message('2', 'x'), unknown_field: true },
        { delete: { _index: index, _id: 'missing' } },
        { create: { _index: index, _id: '3' } }, message('3', 'third'),
      ],
    });
    expect(Object.keys(res)).toEqual(['items']);
    expect(res.items).toEqual([
      { index: { status: 201 } },
      { index: { status: 409, error: expect.objectContaining({ type: 'version_conflict_engine_exception', index, reason: '[1]: version conflict, current version [3] is higher than the one provided [2]' }) } },
      { index: { status: 400, error: expect.objectContaining({ type: 'strict_dynamic_mapping_exception' }) } },
      { delete: { status: 404 } },
      { create: { status: 201 } },
    ]);
  });

  it('bulk with Logstash\'s errors,items.*.error,items.*.status keeps errors, not took', async () => {
    const index = await messagesIndex();
    const res = await es.client.bulk({
      filter_path: 'errors,items.*.error,items.*.status',
      operations: [{ create: { _index: index, _id: 'a' } }, message('a', 'x'), { create: { _index: index, _id: 'a' } }, message('a', 'y')],
    });
    expect(res).toEqual({
      errors: true,
      items: [{ create: { status: 201 } }, { create: { status: 409, error: expect.objectContaining({ type: 'version_conflict_engine_exception' }) } }],
    });
  });

  it('serialises the filtered bulk response compactly', async () => {
    const index = await messagesIndex();
    const body = [JSON.stringify({ index: { _index: index, _id: 'a' } }), JSON.stringify(message('a', 'x')), ''].join('\n');
    const res = await fetch(`${es.url}/_bulk?filter_path=items.*.status,items.*.error`, {
      method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body,
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"items":[{"index":{"status":201}}]}');
  });

  it('search with hits.hits._id gives only the ids', async () => {
    const index = await indexWithDocs(['a', 'b']);
    const res = await es.client.search({ index, query: { match_all: {} }, sort: [{ id: 'asc' }], filter_path: 'hits.hits._id' });
    expect(res).toEqual({ hits: { hits: [{ _id: 'a' }, { _id: 'b' }] } });
  });

  it('an exclusion filter removes what it names', async () => {
    const index = await indexWithDocs(['a', 'b']);
    expect(await es.client.count({ index, filter_path: '-_shards' })).toEqual({ count: 2 });
    const res = await es.client.search({ index, query: { match_all: {} }, sort: [{ id: 'asc' }], filter_path: 'hits.hits._source,-hits.hits._source.content,-**.indexed_at' });
    const sources = res.hits.hits.map((h) => h._source as Record<string, unknown>);
    expect(sources.map((s) => s.id)).toEqual(['a', 'b']);
    expect(sources[0]).not.toHaveProperty('content');
    expect(sources[0]).not.toHaveProperty('indexed_at');
    expect(sources[0]).toHaveProperty('sender_id', 's1');
  });

  it('a filter that matches nothing gives {}', async () => {
    const index = await indexWithDocs(['a']);
    expect(await es.client.search({ index, filter_path: 'nothing.here' })).toEqual({});
    expect(await es.client.indices.refresh({ index, filter_path: '-*' })).toEqual({});
  });

  it('filters responses that are not errors whatever their status (a 404 GET)', async () => {
    const index = await indexWithDocs(['a']);
    const missing = await failure(es.client.get({ index, id: 'nope', filter_path: 'found' }));
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ found: false });
  });

  it('does not filter error bodies, as Elasticsearch', async () => {
    const res = await failure(es.client.search({ index: es.name('missing'), filter_path: 'hits.hits._id' }));
    expect(res.status).toBe(404);
    expect(res.body.error.type).toBe('index_not_found_exception');
    expect(res.body.status).toBe(404);
  });

  it('works with pretty', async () => {
    const res = await fetch(`${es.url}/?filter_path=version.number&pretty`);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ version: { number: expect.any(String) } });
    expect(text).toContain('\n');
  });
});
