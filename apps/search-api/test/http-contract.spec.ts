import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { ROUTE_PARAMS } from '../src/search/search-params';
import type { RunningSearchApi } from '../src/search-api';
import { AUDIENCE, ISSUER, JWT_SECRET, get, startApi, SourceDb, token } from './support/fixture';

describe('search API over HTTP', () => {
  let src: SourceDb;
  let api: RunningSearchApi;
  let alice: string;

  beforeAll(async () => {
    src = await SourceDb.create();
    alice = await src.user();
    const conv = await src.conversation([alice]);
    for (let i = 0; i < 5; i++) await src.message(conv, alice, `hello number ${i}`);
    api = await startApi(src.db.url);
  });

  afterAll(async () => {
    await api?.close();
    await src?.close();
  });

  const messages = (bearer?: string, params: Record<string, string> = { q: 'hello' }) => get(api, '/api/v1/search/messages', params, bearer);

  it('answers 401 for missing, expired, premature, wrongly signed or malformed tokens', async () => {
    const now = Math.floor(Date.now() / 1000);
    const bad: Array<string | undefined> = [
      undefined,
      token(alice, { expiresIn: -60 }),
      token(alice, { notBefore: 120 }),
      token(alice, {}, 'another-secret-0123456789abcdef0123456789'),
      token(alice, { issuer: 'someone-else' }),
      token(alice, { audience: 'another-api' }),
      jwt.sign({ sub: alice, iat: now }, JWT_SECRET, { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE }), // no exp
      jwt.sign({ sub: 'not-a-uuid' }, JWT_SECRET, { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE, expiresIn: 60 }),
      jwt.sign({ sub: alice }, JWT_SECRET, { algorithm: 'HS512', issuer: ISSUER, audience: AUDIENCE, expiresIn: 60 }),
      `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: alice, iss: ISSUER, aud: AUDIENCE, exp: now + 60 })).toString('base64url')}.`,
      'garbage',
    ];
    for (const t of bad) {
      const a = await messages(t);
      expect([t, a.status]).toEqual([t, 401]);
      expect(a.body.error?.code).toBe('UNAUTHORIZED');
      expect(a.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    expect((await get(api, '/api/v1/search/posts', { q: 'x' }, token(alice, { expiresIn: -60 }))).status).toBe(401);
    expect((await get(api, '/api/v1/search/posts', { q: 'x' })).status).toBe(200);
    expect((await messages(token(alice))).status).toBe(200);
  });

  it('accepts RS256 tokens with a configured public key and refuses HS256 tokens signed with that key', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const rs = await startApi(src.db.url, { AUTH_JWT_SECRET: '', AUTH_JWT_PUBLIC_KEY: pem });
    try {
      const good = jwt.sign({ sub: alice }, privateKey, { algorithm: 'RS256', issuer: ISSUER, audience: AUDIENCE, expiresIn: 60 });
      expect((await get(rs, '/api/v1/search/messages', { q: 'hello' }, good)).body.hits).toHaveLength(5);
      const confused = jwt.sign({ sub: alice }, JWT_SECRET, { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE, expiresIn: 60 });
      expect((await get(rs, '/api/v1/search/messages', { q: 'hello' }, confused)).status).toBe(401);
    } finally {
      await rs.close();
    }
  });

  it('answers 400 naming the parameter, in one error shape', async () => {
    const t = token(alice);
    const cases: Array<[Record<string, string>, string]> = [
      [{}, 'q'],
      [{ q: '   ' }, 'q'],
      [{ q: 'x'.repeat(257) }, 'q'],
      [{ q: '-only' }, 'q'],
      [{ q: 'a', limit: '0' }, 'limit'],
      [{ q: 'a', limit: '101' }, 'limit'],
      [{ q: 'a', limit: '1e2' }, 'limit'],
      [{ q: 'a', sort: 'random' }, 'sort'],
      [{ q: 'a', conversation_id: "1' or '1'='1" }, 'conversation_id'],
      [{ q: 'a', sender_id: 'x' }, 'sender_id'],
      [{ q: 'a', author_id: '00000000-0000-4000-8000-000000000000' }, 'author_id'],
      [{ q: 'a', cursor: 'abc.def' }, 'cursor'],
    ];
    for (const [params, parameter] of cases) {
      const a = await messages(t, params);
      expect([params, a.status, a.body.error?.parameter]).toEqual([params, 400, parameter]);
      expect(Object.keys(a.body)).toEqual(['error']);
      expect(a.body.error?.code).toMatch(/^INVALID_(PARAMETER|QUERY|CURSOR)$/);
    }
    const twice = await fetch(`${api.url}/api/v1/search/messages?q=a&q=b`, { headers: { authorization: `Bearer ${t}` } });
    expect(twice.status).toBe(400);
  });

  it('pages with signed cursors; a modified or foreign cursor is a 400', async () => {
    const t = token(alice);
    const first = await messages(t, { q: 'hello', limit: '2', sort: 'recent' });
    const cursor = first.body.next_cursor as string;
    expect(typeof cursor).toBe('string');
    const second = await messages(t, { q: 'hello', limit: '2', sort: 'recent', cursor });
    expect(second.body.hits).toHaveLength(2);
    const tampered = cursor.slice(0, 5) + (cursor[5] === 'x' ? 'y' : 'x') + cursor.slice(6);
    expect((await messages(t, { q: 'hello', limit: '2', sort: 'recent', cursor: tampered })).body.error?.code).toBe('INVALID_CURSOR');
    expect((await messages(t, { q: 'number', limit: '2', sort: 'recent', cursor })).status).toBe(400);
    expect((await messages(t, { q: 'hello', limit: '2', sort: 'relevance', cursor })).status).toBe(400);
  });

  it('sets security headers and answers unknown routes, methods and bodies with the error shape', async () => {
    const res = await fetch(`${api.url}/api/v1/search/posts?q=a`);
    for (const h of ['content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy', 'cache-control']) expect(res.headers.get(h)).toBeTruthy();
    expect(res.headers.get('x-powered-by')).toBeNull();
    const notFound = await fetch(`${api.url}/api/v1/nothing`);
    expect([notFound.status, ((await notFound.json()) as { error: { code: string } }).error.code]).toEqual([404, 'NOT_FOUND']);
    const post = await fetch(`${api.url}/api/v1/search/posts?q=a`, { method: 'POST', body: 'x'.repeat(10) });
    expect(post.status).toBe(405);
    const big = await fetch(`${api.url}/api/v1/search/posts?q=a`, { method: 'POST', body: 'x'.repeat(5000) });
    expect(big.status).toBe(413);
    expect((await fetch(`${api.url}/api/v1/search/posts?q=${'a'.repeat(5000)}`)).status).toBe(414);
  });

  it('publishes OpenAPI 3.1 listing every route and parameter', async () => {
    const doc = (await (await fetch(`${api.url}/api/v1/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, { get: { parameters?: Array<{ name: string }>; responses: Record<string, unknown> } }>;
    };
    expect(doc.openapi).toBe('3.1.0');
    for (const [route, params] of Object.entries(ROUTE_PARAMS)) {
      const op = doc.paths[`/api/v1/search/${route}`]?.get;
      expect(op?.parameters?.map((p) => p.name).sort()).toEqual([...params].sort());
      expect(Object.keys(op?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '401', '429', '503']));
    }
    for (const path of ['/health/live', '/health/ready', '/metrics', '/api/v1/openapi.json']) expect(doc.paths[path]).toBeDefined();
  });

  it('reports readiness per backend and exports nova_search_* metrics', async () => {
    const ready = await get(api, '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ backends: { postgres: { reachable: true }, elasticsearch: { enabled: false } } });
    await messages(token(alice));
    const text = await (await fetch(`${api.url}/metrics`)).text();
    expect(text).toMatch(/nova_search_requests_total\{[^}]*route="messages"[^}]*status="200"[^}]*backend="postgres"/);
    expect(text).toMatch(/nova_search_request_duration_seconds_bucket\{/);
    expect(text).toMatch(/nova_search_breaker_state\{[^}]*backend="elasticsearch"[^}]*\} 0/);
  });

  it('answers 503 with Retry-After, and no detail, when PostgreSQL cannot answer in time or at all', async () => {
    const slow = await startApi(src.db.url, { SEARCH_PG_STATEMENT_TIMEOUT_MS: '200' });
    const down = await startApi('postgres://postgres@127.0.0.1:1/nothing');
    try {
      const expect503 = async (api_: RunningSearchApi, code: string) => {
        for (const route of ['/api/v1/search/messages', '/api/v1/search/posts']) {
          const a = await get(api_, route, { q: 'hello' }, token(alice));
          expect([route, a.status, a.headers.get('retry-after'), a.body.error?.code]).toEqual([route, 503, '1', code]);
          expect(a.body.error?.message).toBe('search is temporarily unavailable');
        }
      };
      await get(slow, '/api/v1/search/messages', { q: 'hello' }, token(alice)); // membership cached, pool warm
      // A stuck database: the tables are locked, so the search waits until statement_timeout cancels it.
      await src.sql.begin(async (tx) => {
        await tx`lock table messages, posts in access exclusive mode`;
        await expect503(slow, 'BACKEND_TIMEOUT');
      });
      await expect503(down, 'BACKEND_UNAVAILABLE');
      expect((await get(down, '/health/ready')).status).toBe(503);
      // A deadline so short it hits connection set-up too: still only 200s and 503s, and the process survives.
      const tiny = await startApi(src.db.url, { SEARCH_PG_STATEMENT_TIMEOUT_MS: '1' });
      try {
        for (let i = 0; i < 10; i++) expect([200, 503]).toContain((await get(tiny, '/api/v1/search/messages', { q: 'hello' }, token(alice))).status);
      } finally {
        await tiny.close();
      }
    } finally {
      await slow.close();
      await down.close();
    }
  });

  it('rate limits per IP and per user with 429 and Retry-After', async () => {
    const limited = await startApi(src.db.url, { SEARCH_RATE_LIMIT_PER_IP: '1000', SEARCH_RATE_LIMIT_PER_USER: '2', SEARCH_RATE_LIMIT_BURST_S: '1' });
    const ipLimited = await startApi(src.db.url, { SEARCH_RATE_LIMIT_PER_IP: '2', SEARCH_RATE_LIMIT_BURST_S: '1' });
    try {
      const t = token(alice);
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push(await get(limited, '/api/v1/search/messages', { q: 'hello' }, t));
      expect(statuses.map((s) => s.status)).toEqual([200, 200, 429, 429]);
      expect(Number(statuses[2]?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(statuses[2]?.body.error?.code).toBe('RATE_LIMITED');
      expect((await get(limited, '/api/v1/search/posts', { q: 'hello' })).status).toBe(200); // another key: the IP
      const anon = [];
      for (let i = 0; i < 3; i++) anon.push((await get(ipLimited, '/api/v1/search/posts', { q: 'hello' })).status);
      expect(anon).toEqual([200, 200, 429]);
    } finally {
      await limited.close();
      await ipLimited.close();
    }
  });
});
