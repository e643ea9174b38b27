import { Client } from '@elastic/elasticsearch';
import { MESSAGE_MAPPINGS, indexSettings } from '@nova/search-index';
import { freePort, spawnTsService, waitFor, type ChildService } from '@nova/testing';
import { startEmbeddedElasticsearch, type EmbeddedElasticsearch } from '../src';
import { failure } from './support/es-target';

// The embedded server's own features (fault hooks, restart, standalone runner, loud refusal of what it does not
// implement). These run against the embedded server only; the contract suites are the ones shared with Elasticsearch.
let es: EmbeddedElasticsearch;
let client: Client;
let n = 0;
const name = () => `embedded-${++n}`;

beforeAll(async () => {
  es = await startEmbeddedElasticsearch();
  client = new Client({ node: es.url, maxRetries: 0 });
});
afterEach(() => es.faults.reset());
afterAll(async () => {
  await client?.close();
  await es?.stop();
});

const doc = (id: string) => ({ id, conversation_id: 'c', sender_id: 's', content: `message ${id}` });

describe('fault hooks', () => {
  it('answers the next N bulk items with 429 es_rejected_execution_exception', async () => {
    const index = name();
    await client.indices.create({ index, mappings: MESSAGE_MAPPINGS as never });
    es.faults.rejectNextBulkItems(2);
    const res = await client.bulk({ index, operations: ['a', 'b', 'c'].flatMap((id) => [{ index: { _id: id } }, doc(id)]) });
    expect(res.errors).toBe(true);
    expect(res.items.map((i) => i.index?.status)).toEqual([429, 429, 201]);
    expect(res.items[0].index?.error?.type).toBe('es_rejected_execution_exception');
    await client.indices.refresh({ index });
    expect((await client.count({ index })).count).toBe(1);
  });

  it('answers every request 503 for a period, then recovers', async () => {
    es.faults.unavailableFor(300);
    const down = await failure(client.cluster.health());
    expect(down.status).toBe(503);
    expect(down.body.error.type).toBe('cluster_block_exception');
    await waitFor(async () => (await client.cluster.health().then(() => true, () => false)), { timeoutMs: 5000 });
  });

  it('adds latency to every response', async () => {
    es.faults.setLatency(150);
    const started = Date.now();
    await client.info();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('is reachable over HTTP for servers in another process', async () => {
    const set = await fetch(`${es.url}/_embedded/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reject_bulk_items: 1 }) });
    expect(await set.json()).toMatchObject({ reject_bulk_items: 1 });
    await fetch(`${es.url}/_embedded/faults`, { method: 'DELETE' });
    expect(es.faults.snapshot().reject_bulk_items).toBe(0);
  });
});

describe('restart', () => {
  it('keeps indices, aliases and acknowledged writes (searchable after recovery), on the same URL', async () => {
    const index = name();
    await client.indices.create({ index, settings: { ...indexSettings(), refresh_interval: '-1' }, mappings: MESSAGE_MAPPINGS as never, aliases: { [`${index}-alias`]: {} } });
    await client.index({ index, id: 'kept', document: doc('kept') });
    await es.restart();
    // Like a real restart, it closes open connections: the first request on a kept-alive socket may fail.
    const count = await waitFor(() => client.count({ index: `${index}-alias` }).then((r) => r.count, () => undefined), { timeoutMs: 5000 });
    expect(count).toBe(1);
    expect((await client.get({ index, id: 'kept' }))._version).toBe(1);
  });
});

describe('unsupported features answer 400 naming them', () => {
  it.each([
    ['a query type', { query: { fuzzy: { content: 'x' } } }, 'query [fuzzy]'],
    ['aggregations', { aggs: { by: { terms: { field: 'sender_id' } } } }, 'search option [aggs]'],
    ['a highlighter type', { highlight: { fields: { content: { type: 'fvh' } } } }, 'highlighter type [fvh]'],
    ['phrase slop', { query: { match_phrase: { content: { query: 'a b', slop: 2 } } } }, 'slop'],
    ['fuzziness', { query: { match: { content: { query: 'a', fuzziness: 'AUTO' } } } }, 'fuzziness'],
  ])('%s', async (_what, body, named) => {
    const index = name();
    await client.indices.create({ index, mappings: MESSAGE_MAPPINGS as never });
    const res = await failure(client.search({ index, ...(body as object) }));
    expect(res.status).toBe(400);
    expect(res.body.error.reason).toContain(named);
    expect(res.body.error.reason).toContain('not supported by embedded-elasticsearch');
  });

  it('refuses unknown URL parameters like Elasticsearch', async () => {
    const res = await fetch(`${es.url}/_search?bogus=1`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { reason: string } }).error.reason).toBe('request [/_search] contains unrecognized parameter: [bogus]');
  });
});

describe('standalone runner', () => {
  let child: ChildService | undefined;
  afterAll(() => child?.kill('SIGKILL'));

  it('prints its URL when ready and stops on SIGTERM', async () => {
    const port = await freePort();
    child = spawnTsService('infra/embedded-elasticsearch/src/cli/main.ts', { EMBEDDED_ES_PORT: String(port) });
    await waitFor(() => child!.logLines().some((l) => l.message === 'embedded-elasticsearch ready'), { timeoutMs: 30_000 });
    const ready = child.logLines().find((l) => l.message === 'embedded-elasticsearch ready');
    expect(ready?.url).toBe(`http://127.0.0.1:${port}`);
    expect((await fetch(`http://127.0.0.1:${port}/`)).headers.get('x-elastic-product')).toBe('Elasticsearch');
    child.kill('SIGTERM');
    expect(await child.exited).toBe(0);
  });
});
