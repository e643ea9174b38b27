import { waitFor } from '@nova/testing';
import type { RunningSearchApi } from '../src/search-api';
import { SearchServer } from './support/backends';
import { get, startApi, SourceDb, token, type MessageRow } from './support/fixture';

describe('Elasticsearch outage and PostgreSQL fallback', () => {
  let src: SourceDb;
  let es: SearchServer;
  let api: RunningSearchApi;
  let alice: string;
  const rows: MessageRow[] = [];

  beforeAll(async () => {
    src = await SourceDb.create();
    alice = await src.user();
    const conv = await src.conversation([alice]);
    for (let i = 0; i < 30; i++) rows.push(await src.message(conv, alice, `outage drill ${i} 故障演练`, { created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) }));
    es = await SearchServer.start();
    await es.write(rows, []);
    api = await startApi(src.db.url, {
      ...es.env,
      SEARCH_ES_DEADLINE_MS: '300',
      SEARCH_BREAKER_MIN_REQUESTS: '2',
      SEARCH_BREAKER_OPEN_MS: '300',
    });
  });

  afterAll(async () => {
    await api?.close();
    await es?.stop();
    await src?.close();
  });

  const search = (params: Record<string, string> = {}) => get(api, '/api/v1/search/messages', { q: 'drill', ...params }, token(alice));
  const metric = async (pattern: RegExp) => pattern.exec(await (await fetch(`${api.url}/metrics`)).text())?.[1];

  it('answers from PostgreSQL while the search server is down, and from Elasticsearch again once it is back', async () => {
    const before = await search({ sort: 'recent', limit: '10' });
    expect(before.body.backend).toBe('elasticsearch');
    const relevanceCursor = (await search({ limit: '10' })).body.next_cursor as string;

    await es.stop();
    for (let i = 0; i < 10; i++) {
      const a = await search({ sort: 'recent', limit: '10' });
      expect([a.status, a.body.backend]).toEqual([200, 'postgres']);
      expect(a.body.hits?.map((h) => h.id)).toEqual(before.body.hits?.map((h) => h.id)); // same answer, other backend
    }
    expect(await metric(/nova_search_breaker_state\{[^}]*\} (\d)/)).toBe('2');
    expect(Number(await metric(/nova_search_fallbacks_total\{[^}]*reason="breaker_open"[^}]*\} (\d+)/))).toBeGreaterThan(0);
    await waitFor(async () => (await get(api, '/health/ready')).body['backends'] !== undefined);
    const ready = await get(api, '/health/ready');
    expect(ready.status).toBe(200); // PostgreSQL alone can answer

    // A recent-order cursor from Elasticsearch continues on PostgreSQL; a relevance one cannot (scores differ).
    const page2 = await search({ sort: 'recent', limit: '10', cursor: before.body.next_cursor as string });
    expect(page2.body.hits?.map((h) => h.id)).toEqual(rows.slice(10, 20).reverse().map((r) => r.id));
    const stale = await search({ limit: '10', cursor: relevanceCursor });
    expect([stale.status, stale.body.error?.code]).toEqual([409, 'CURSOR_STALE']);

    await es.startAgain();
    await es.write(rows, []);
    await waitFor(async () => (await search()).body.backend === 'elasticsearch', { timeoutMs: 10_000 });
    expect(await metric(/nova_search_breaker_state\{[^}]*\} (\d)/)).toBe('0');
    expect((await search({ q: '演练' })).body.hits).toHaveLength(20);
  });

  it('never waits longer than the deadline for a slow search server', async () => {
    await waitFor(async () => (await search()).body.backend === 'elasticsearch', { timeoutMs: 10_000 });
    es.faults.setLatency(5_000);
    try {
      const started = Date.now();
      const a = await search();
      expect([a.status, a.body.backend]).toEqual([200, 'postgres']);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      es.faults.reset();
    }
  });
});
