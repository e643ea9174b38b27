import { MESSAGE_MAPPINGS, indexSettings } from '@nova/search-index';
import { failure, startTarget, type EsTarget } from './support/es-target';

let es: EsTarget;
beforeAll(async () => {
  es = await startTarget();
});
afterAll(async () => {
  await es?.stop();
});

describe('cluster endpoints', () => {
  it('answers GET / with a 9.x version and the product header, and cluster health', async () => {
    const res = await es.client.transport.request({ method: 'GET', path: '/' }, { meta: true });
    expect(res.headers['x-elastic-product']).toBe('Elasticsearch');
    expect((res.body as { version: { number: string } }).version.number).toMatch(/^9\./);
    const health = await es.client.cluster.health();
    expect(['green', 'yellow']).toContain(health.status);
    expect(health.number_of_nodes).toBeGreaterThanOrEqual(1);
  });

  it('accepts plain JSON as well as the compatible-with media types', async () => {
    const plain = await fetch(`${es.url}/`, { headers: { accept: 'application/json' } });
    expect(plain.headers.get('content-type')).toMatch(/^application\/json/);
    const compat = await fetch(`${es.url}/`, { headers: { accept: 'application/vnd.elasticsearch+json; compatible-with=9' } });
    expect(compat.headers.get('content-type')).toMatch(/^application\/vnd\.elasticsearch\+json;\s?compatible-with=9/);
  });
});

describe('indices', () => {
  it('creates with settings and mappings, reports exists, mapping, settings, _cat and _stats, and deletes', async () => {
    const index = es.name('messages');
    const created = await es.client.indices.create({ index, settings: indexSettings({ gcDeletes: '5s' }), mappings: MESSAGE_MAPPINGS as never });
    expect(created).toEqual({ acknowledged: true, shards_acknowledged: true, index });
    expect(await es.client.indices.exists({ index })).toBe(true);
    const mapping = await es.client.indices.getMapping({ index });
    expect(mapping[index].mappings).toMatchObject({ dynamic: 'strict', properties: { content: { type: 'text', fields: { cjk: { type: 'text', analyzer: 'cjk' } } } } });
    const settings = await es.client.indices.getSettings({ index });
    expect(settings[index].settings?.index).toMatchObject({ refresh_interval: '1s', gc_deletes: '5s', number_of_shards: '1', number_of_replicas: '0' });
    await es.client.index({ index, id: '1', refresh: true, document: { id: '1', content: 'hello' } });
    const cat = await es.client.cat.indices({ index, format: 'json' });
    expect(cat).toEqual([expect.objectContaining({ index, health: 'green', status: 'open', 'docs.count': '1' })]);
    const stats = await es.client.indices.stats({ index });
    expect(stats.indices?.[index].primaries?.docs?.count).toBe(1);
    expect(stats._all.primaries?.docs?.count).toBe(1);
    await es.client.indices.putMapping({ index, properties: { extra: { type: 'keyword' } } });
    expect((await es.client.indices.getMapping({ index }))[index].mappings.properties).toHaveProperty('extra');
    expect(await es.client.indices.delete({ index })).toEqual({ acknowledged: true });
    expect(await es.client.indices.exists({ index })).toBe(false);
  });

  it('answers errors shaped like Elasticsearch: index_not_found, resource_already_exists', async () => {
    const index = es.name('missing');
    const missing = await failure(es.client.search({ index }));
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({
      error: { root_cause: [{ type: 'index_not_found_exception', reason: `no such index [${index}]` }], type: 'index_not_found_exception', reason: `no such index [${index}]`, index },
      status: 404,
    });
    const existing = es.name('exists');
    await es.client.indices.create({ index: existing });
    const again = await failure(es.client.indices.create({ index: existing }));
    expect(again.status).toBe(400);
    expect(again.body.error.type).toBe('resource_already_exists_exception');
    expect(again.body.error.reason).toMatch(new RegExp(`^index \\[${existing}/.+\\] already exists$`));
  });

  it('rejects query clauses it does not know with 400 parsing_exception', async () => {
    const index = es.name('bad');
    await es.client.indices.create({ index });
    const res = await failure(es.client.search({ index, query: { no_such_query: {} } as never }));
    expect(res.status).toBe(400);
    expect(res.body.error.type).toBe('parsing_exception');
    expect(res.body.error.reason).toContain('unknown query [no_such_query]');
  });
});

describe('aliases', () => {
  it('adds and removes atomically, lists with GET /_alias, reads and writes through the alias', async () => {
    const v1 = es.name('nova_messages_v1');
    const v2 = es.name('nova_messages_v2');
    const alias = es.name('nova_messages');
    await es.client.indices.create({ index: v1, settings: indexSettings(), mappings: MESSAGE_MAPPINGS as never });
    await es.client.indices.create({ index: v2, settings: indexSettings(), mappings: MESSAGE_MAPPINGS as never });
    expect(await es.client.indices.updateAliases({ actions: [{ add: { index: v1, alias } }] })).toMatchObject({ acknowledged: true });
    await es.client.index({ index: alias, id: 'a', refresh: true, document: { id: 'a', content: 'in v1' } });
    await es.client.index({ index: v2, id: 'b', refresh: true, document: { id: 'b', content: 'in v2' } });
    expect((await es.client.indices.getAlias({ name: alias }))).toEqual({ [v1]: { aliases: { [alias]: {} } } });
    expect((await es.client.search({ index: alias })).hits.hits.map((h) => h._id)).toEqual(['a']);
    await es.client.indices.updateAliases({ actions: [{ remove: { index: v1, alias } }, { add: { index: v2, alias } }] });
    expect((await es.client.search({ index: alias })).hits.hits.map((h) => h._id)).toEqual(['b']);
    const all = await es.client.indices.getAlias();
    expect(all[v2].aliases).toEqual({ [alias]: {} });
    expect(all[v1].aliases).toEqual({});
  });

  it('never shows a search an empty or doubled alias during a swap', async () => {
    const v1 = es.name('swap_v1');
    const v2 = es.name('swap_v2');
    const alias = es.name('swap');
    for (const index of [v1, v2]) {
      await es.client.indices.create({ index, settings: indexSettings(), mappings: MESSAGE_MAPPINGS as never });
      await es.client.bulk({ index, refresh: true, operations: [0, 1, 2].flatMap((i) => [{ index: { _id: `${index}-${i}` } }, { id: `${i}`, content: 'same' }]) });
    }
    await es.client.indices.updateAliases({ actions: [{ add: { index: v1, alias } }] });
    let swapping = true;
    const counts: number[] = [];
    const searcher = (async () => {
      while (swapping) counts.push((await es.client.count({ index: alias })).count);
    })();
    for (let i = 0; i < 20; i++) {
      const [from, to] = i % 2 === 0 ? [v1, v2] : [v2, v1];
      await es.client.indices.updateAliases({ actions: [{ remove: { index: from, alias } }, { add: { index: to, alias } }] });
    }
    swapping = false;
    await searcher;
    expect(counts.length).toBeGreaterThan(0);
    expect(new Set(counts)).toEqual(new Set([3]));
  });

  it('rolls the whole request back when one action fails', async () => {
    const index = es.name('atomic');
    const alias = es.name('atomic_alias');
    await es.client.indices.create({ index });
    const res = await failure(es.client.indices.updateAliases({ actions: [{ add: { index, alias } }, { add: { index: es.name('no_such_index'), alias } }] }));
    expect(res.status).toBe(404);
    expect(await es.client.indices.existsAlias({ name: alias })).toBe(false);
  });
});
