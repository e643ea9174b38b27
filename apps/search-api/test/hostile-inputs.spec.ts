import fc from 'fast-check';
import type { RunningSearchApi } from '../src/search-api';
import { BACKENDS, Backend } from './support/backends';
import { startApi, SourceDb, token, type MessageRow } from './support/fixture';

const INJECTIONS = [
  "'; drop table messages; --",
  "' or '1'='1",
  '") or 1=1 --',
  '{"query":{"match_all":{}}}',
  '{"bool":{"must_not":[]}}',
  '*',
  '?',
  '\\',
  '%00',
  '\u0000',
  '$1',
  'OR OR OR',
  '-"',
  '"""',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  'a:b AND c:d',
  'content:secret',
  'conversation_id:*',
  '_id:*',
  '(a | b) +c ~2',
  '\u202e\u200b\ufeff',
  '𠜎𠜱𠝹',
  'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǫ̗',
  'x'.repeat(100_000),
  '搜'.repeat(300),
];

describe.each(BACKENDS)('hostile inputs on %s', (backendName) => {
  let src: SourceDb;
  let backend: Backend;
  let api: RunningSearchApi;
  let alice: string;
  let secretConv: string;
  const rows: MessageRow[] = [];

  beforeAll(async () => {
    src = await SourceDb.create();
    alice = await src.user();
    const mallory = await src.user();
    const own = await src.conversation([alice]);
    secretConv = await src.conversation([mallory]);
    for (let i = 0; i < 20; i++) rows.push(await src.message(own, alice, `public note ${i} apple 苹果`));
    for (let i = 0; i < 20; i++) rows.push(await src.message(secretConv, mallory, `SECRET-${i} apple 苹果 secret`));
    backend = await Backend.start(backendName, src);
    await backend.mirror(rows, []);
    api = await startApi(src.db.url, backend.env);
  });

  afterAll(async () => {
    await api?.close();
    await backend?.stop();
    await src?.close();
  });

  it('answers 2,000 random and hostile requests without a 5xx, a leak or an internal detail', async () => {
    const text = fc.oneof(
      fc.constantFrom(...INJECTIONS),
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc.string({ unit: 'grapheme', maxLength: 50 }),
      fc.constantFrom('apple', 'secret', '苹果', 'SECRET-1', '"apple secret"', 'apple OR secret', '-apple secret'),
    );
    const param = fc.oneof(text, fc.uuid(), fc.constant(secretConv), fc.integer({ min: -5, max: 500 }).map(String));
    const goodToken = token(alice);
    const bearer = fc.oneof(
      { weight: 5, arbitrary: fc.constant(goodToken) },
      { weight: 1, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
      { weight: 1, arbitrary: fc.constant(goodToken.slice(0, -3) + 'abc') },
    );
    const requests = fc.sample(
      fc.record({
        route: fc.constantFrom('/api/v1/search/messages', '/api/v1/search/posts'),
        params: fc.oneof(
          {
            weight: 3,
            arbitrary: fc.record(
              {
                q: text,
                conversation_id: fc.oneof({ weight: 3, arbitrary: fc.constant(secretConv) }, fc.uuid(), param),
                sender_id: fc.oneof({ weight: 3, arbitrary: fc.uuid() }, param),
                sort: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('relevance', 'recent') }, param),
                limit: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 100 }).map(String) }, param),
                cursor: fc.oneof(fc.base64String({ maxLength: 80 }).map((b) => `${b}.${b}`), param),
              },
              { requiredKeys: ['q'] },
            ).chain((p) =>
              fc.subarray(Object.keys(p)).map((keep) => Object.fromEntries(Object.entries(p).filter(([k]) => k === 'q' || keep.includes(k)))),
            ),
          },
          { weight: 1, arbitrary: fc.dictionary(fc.oneof(fc.constantFrom('q', 'author_id', 'conversation_id', 'limit', 'cursor'), fc.string({ maxLength: 20 })), param, { maxKeys: 4 }) },
        ),
        bearer,
      }),
      { numRuns: 2000, seed: 42 },
    );
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const r = requests[next++] as (typeof requests)[number];
        const params = { ...r.params } as Record<string, string>;
        if (r.route.endsWith('posts') && 'conversation_id' in params) {
          params['author_id'] = params['conversation_id'] as string;
          delete params['conversation_id'];
          delete params['sender_id'];
        }
        const url = `${api.url}${r.route}?${new URLSearchParams(params).toString()}`;
        const headers: Record<string, string> = {};
        if (r.bearer !== undefined && /^[\x20-\x7e]*$/.test(r.bearer)) headers['authorization'] = `Bearer ${r.bearer}`;
        const res = await fetch(url, { headers });
        const body = await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect([res.status < 500, r]).toEqual([true, r]);
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        expect(body).not.toMatch(/SECRET-|syntax error|stack|at [\w.]+ \(|ResponseError/i);
        const parsed = JSON.parse(body) as { error?: { code: string; message: string }; hits?: Array<{ conversation_id?: string }> };
        if (res.status === 200) for (const h of parsed.hits ?? []) expect(h.conversation_id).not.toBe(secretConv);
        else {
          expect(parsed.error?.code).toMatch(/^[A-Z_]+$/);
          expect(parsed.error?.message).not.toMatch(/postgres|elasticsearch|sql|relation|column/i);
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(2000);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(100);
  });
});
