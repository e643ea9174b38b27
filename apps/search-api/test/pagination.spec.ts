import type { RunningSearchApi } from '../src/search-api';
import { BACKENDS, Backend } from './support/backends';
import { get, startApi, SourceDb, token, type MessageRow } from './support/fixture';

describe.each(BACKENDS)('cursor pagination on %s', (backendName) => {
  let src: SourceDb;
  let backend: Backend;
  let api: RunningSearchApi;
  let alice: string;
  let conv: string;
  const initial: MessageRow[] = [];

  beforeAll(async () => {
    src = await SourceDb.create();
    alice = await src.user();
    conv = await src.conversation([alice]);
    const base = Date.UTC(2026, 0, 1);
    for (let i = 0; i < 150; i++) {
      // Many equal timestamps (ties broken by id) and many equal scores (same text length and term count).
      const created = new Date(base + Math.floor(i / 4) * 1000 + (i % 2) * 0.3);
      initial.push(await src.message(conv, alice, `${'alpha '.repeat(1 + (i % 3))}item${i} ${'filler '.repeat(i % 5)}`, { created_at: created }));
    }
    backend = await Backend.start(backendName, src);
    await backend.mirror(initial, []);
    api = await startApi(src.db.url, backend.env);
  });

  afterAll(async () => {
    await api?.close();
    await backend?.stop();
    await src?.close();
  });

  const extra: MessageRow[] = [];
  /**
   * While pages are being read: inserts matching messages (older, newer and equal timestamps, short and long, so the
   * term's document frequency and the average length move) and soft-deletes one inserted earlier.
   */
  async function concurrentWrites(round: number): Promise<void> {
    const rows: MessageRow[] = [];
    for (let i = 0; i < 5; i++) {
      const created = new Date(Date.UTC(2026, 0, 1) + ((round * 7 + i * 13) % 40) * 1000);
      const text = `alpha new${round}-${i} ${'alpha '.repeat(i % 3)}${'padding words '.repeat((round + i) % 4 === 0 ? 12 : 0)}`;
      rows.push(await src.message(conv, alice, text, { created_at: created }));
    }
    const gone = extra.shift();
    if (gone) {
      gone.deleted_at = new Date();
      await src.sql`update messages set deleted_at = ${gone.deleted_at} where id = ${gone.id}`;
      rows.push(gone);
    }
    extra.push(...rows.filter((r) => r.deleted_at === null));
    await backend.mirror(rows, []);
  }

  // Relevance pages on Elasticsearch are read from one point in time (BM25 statistics move with every write);
  // PostgreSQL's scores are document-local. Both are checked under writes, and on a quiet index.
  const cases: Array<[string, boolean]> = [
    ['recent', true],
    ['relevance', true],
    ['relevance', false],
  ];

  it.each(cases)('pages by %s without duplicates or gaps (writes during paging: %s)', async (sort, withWrites) => {
    const seen: string[] = [];
    let cursor: string | undefined;
    const orderKeys: Array<[number, string]> = [];
    for (let page = 0; page < 100; page++) {
      const a = await get(api, '/api/v1/search/messages', { q: 'alpha', sort, limit: '7', cursor }, token(alice));
      expect(a.status).toBe(200);
      expect(a.body.backend).toBe(backendName);
      for (const h of a.body.hits ?? []) {
        seen.push(h.id);
        orderKeys.push([sort === 'recent' ? Date.parse(h['created_at'] as string) : (h['score'] as number), h.id]);
      }
      if (!a.body.next_cursor) break;
      cursor = a.body.next_cursor;
      if (withWrites) await concurrentWrites(page);
    }
    expect(new Set(seen).size).toBe(seen.length); // no duplicate
    const missing = initial.filter((m) => !seen.includes(m.id)); // no gap: every row that existed throughout
    expect(missing).toEqual([]);
    // Stable order: every page continues where the previous one stopped (recent: both descending; relevance: score
    // descending, then id ascending).
    for (let i = 1; i < orderKeys.length; i++) {
      const [prev, cur] = [orderKeys[i - 1] as [number, string], orderKeys[i] as [number, string]];
      const tie = prev[0] === cur[0] && (sort === 'recent' ? prev[1] > cur[1] : prev[1] < cur[1]);
      expect(prev[0] > cur[0] || tie).toBe(true);
    }
  });

  if (backendName === 'elasticsearch') {
    it('answers 410 CURSOR_EXPIRED when the point in time of a relevance cursor is gone', async () => {
      const first = await get(api, '/api/v1/search/messages', { q: 'alpha', limit: '5' }, token(alice));
      expect(first.status).toBe(200);
      const cursor = first.body.next_cursor as string;
      // Close the point in time the (opaque) cursor carries, as its keep-alive running out would.
      const pit = (JSON.parse(Buffer.from(cursor.split('.')[0] as string, 'base64url').toString('utf8')) as { p?: string }).p;
      expect(typeof pit).toBe('string');
      const closed = await fetch(`${backend.search?.url}/_pit`, { method: 'DELETE', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: pit }) });
      expect(closed.status).toBe(200);
      const next = await get(api, '/api/v1/search/messages', { q: 'alpha', limit: '5', cursor }, token(alice));
      expect(next.status).toBe(410);
      expect(next.body.error).toMatchObject({ code: 'CURSOR_EXPIRED', parameter: 'cursor' });
      // Searching again works (a new point in time).
      expect((await get(api, '/api/v1/search/messages', { q: 'alpha', limit: '5' }, token(alice))).status).toBe(200);
    });
  }
});
