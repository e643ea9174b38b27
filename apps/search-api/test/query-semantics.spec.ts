import { get, ids, startApi, SourceDb, token, type MessageRow, type PostRow } from './support/fixture';
import type { RunningSearchApi } from '../src/search-api';
import { BACKENDS, Backend } from './support/backends';

describe.each(BACKENDS)('query semantics on %s', (backendName) => {
  let src: SourceDb;
  let backend: Backend;
  let api: RunningSearchApi;
  let alice: string, bob: string, carol: string;
  let conv1: string, conv2: string;
  const m: Record<string, MessageRow> = {};
  const p: Record<string, PostRow> = {};
  const search = (q: string, extra: Record<string, string> = {}, user = alice) => get(api, '/api/v1/search/messages', { q, ...extra }, token(user));
  const found = async (q: string, extra: Record<string, string> = {}) => {
    const a = await search(q, extra);
    expect(a.status).toBe(200);
    expect(a.body.backend).toBe(backendName);
    return ids(a);
  };
  const idsOf = (...keys: string[]) => keys.map((k) => (m[k] ?? p[k])?.id).sort();

  beforeAll(async () => {
    src = await SourceDb.create();
    [alice, bob, carol] = [await src.user(), await src.user(), await src.user()];
    conv1 = await src.conversation([alice, bob]);
    conv2 = await src.conversation([bob, carol]);
    const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
    m.quick = await src.message(conv1, bob, 'The quick brown fox jumps over the lazy dog', { created_at: t(1) });
    m.cat = await src.message(conv1, alice, 'A quick brown cat', { created_at: t(2) });
    m.foxes = await src.message(conv1, bob, 'brown fox brown fox brown fox', { created_at: t(3) });
    m.zh = await src.message(conv1, bob, '我们的搜索引擎很好用', { created_at: t(4) });
    m.ja = await src.message(conv1, bob, '東京タワーに行きました', { created_at: t(5) });
    m.ko = await src.message(conv1, bob, '안녕하세요 여러분', { created_at: t(6) });
    m.html = await src.message(conv1, alice, '<b>bold</b> & fox', { created_at: t(7) });
    m.deleted = await src.message(conv1, bob, 'deleted fox', { created_at: t(8), deleted_at: t(9) });
    m.other = await src.message(conv2, bob, 'secret fox in another conversation', { created_at: t(9) });
    p.pub = await src.post(alice, 'Kafka release notes', 'what changed in this release', { created_at: t(1) });
    p.body = await src.post(bob, 'Weekly notes', 'we moved kafka to the new cluster', { created_at: t(2) });
    p.priv = await src.post(alice, 'Private plans', 'kafka migration plan', { visibility: 'private', created_at: t(3) });
    p.fol = await src.post(bob, 'For followers', 'kafka tuning', { visibility: 'followers', created_at: t(4) });
    p.gone = await src.post(bob, 'Deleted kafka post', 'kafka', { deleted_at: t(5), created_at: t(5) });
    backend = await Backend.start(backendName, src);
    await backend.mirror(Object.values(m), Object.values(p));
    api = await startApi(src.db.url, backend.env);
  });

  afterAll(async () => {
    await api?.close();
    await backend?.stop();
    await src?.close();
  });

  it('requires every word, case-insensitively, and never returns deleted or foreign messages', async () => {
    expect(await found('FOX')).toEqual(idsOf('quick', 'foxes', 'html'));
    expect(await found('quick brown')).toEqual(idsOf('quick', 'cat'));
  });

  it('matches quoted phrases in order', async () => {
    expect(await found('"brown fox"')).toEqual(idsOf('quick', 'foxes'));
    expect(await found('"fox brown"')).toEqual(idsOf('foxes'));
  });

  it('excludes -words and -"phrases"', async () => {
    expect(await found('fox -lazy')).toEqual(idsOf('foxes', 'html'));
    expect(await found('fox -"lazy dog" -bold')).toEqual(idsOf('foxes'));
  });

  it('joins terms with OR', async () => {
    expect(await found('cat OR dog')).toEqual(idsOf('quick', 'cat'));
    expect(await found('cat OR dog -lazy')).toEqual(idsOf('cat'));
  });

  it('finds Chinese, Japanese and Korean substrings of two or more characters', async () => {
    expect(await found('搜索')).toEqual(idsOf('zh'));
    expect(await found('索引')).toEqual(idsOf('zh'));
    expect(await found('搜索引擎')).toEqual(idsOf('zh'));
    expect(await found('搜引')).toEqual([]);
    expect(await found('タワー')).toEqual(idsOf('ja'));
    expect(await found('東京')).toEqual(idsOf('ja'));
    expect(await found('녕하')).toEqual(idsOf('ko'));
    expect(await found('搜索 OR 東京')).toEqual(idsOf('zh', 'ja'));
  });

  it('ranks the most relevant first and highlights with escaped HTML', async () => {
    const a = await search('fox');
    expect(a.body.hits?.[0]?.id).toBe(m.foxes?.id);
    const html = a.body.hits?.find((h) => h.id === m.html?.id);
    expect(html?.snippet).toBe('&lt;b&gt;bold&lt;/b&gt; &amp; <em>fox</em>');
    expect(html).toMatchObject({ kind: 'message', conversation_id: conv1, sender_id: alice, created_at: '2026-01-01T00:00:07.000Z' });
    const zh = await search('索引');
    expect(zh.body.hits?.[0]?.snippet).toBe('我们的搜<em>索引</em>擎很好用');
  });

  it('sorts by recency and filters by conversation and sender', async () => {
    const recent = await search('fox', { sort: 'recent' });
    expect(recent.body.hits?.map((h) => h.id)).toEqual([m.html?.id, m.foxes?.id, m.quick?.id]);
    expect(await found('fox', { sender_id: alice })).toEqual(idsOf('html'));
    expect(await found('fox', { conversation_id: conv1, sender_id: bob })).toEqual(idsOf('quick', 'foxes'));
  });

  it('answers a conversation outside the caller\'s memberships exactly like one without matches', async () => {
    const foreign = await search('fox', { conversation_id: conv2 });
    const unknown = await search('fox', { conversation_id: '00000000-0000-4000-8000-000000000000' });
    expect(foreign.status).toBe(200);
    expect(foreign.body.hits).toEqual([]);
    expect({ ...foreign.body, took_ms: 0 }).toEqual({ ...unknown.body, took_ms: 0 });
    expect(await found('secret')).toEqual([]);
  });

  it('shows public posts to everyone and non-public posts only to their author, ranking titles first', async () => {
    const anon = await get(api, '/api/v1/search/posts', { q: 'kafka' });
    expect(anon.status).toBe(200);
    expect(anon.body.backend).toBe(backendName);
    expect(anon.body.hits?.map((h) => h.id)).toEqual([p.pub?.id, p.body?.id]);
    expect(anon.body.hits?.[0]).toMatchObject({ kind: 'post', title: '<em>Kafka</em> release notes', author_id: alice, visibility: 'public' });
    expect(ids(await get(api, '/api/v1/search/posts', { q: 'kafka' }, token(alice)))).toEqual(idsOf('pub', 'body', 'priv'));
    expect(ids(await get(api, '/api/v1/search/posts', { q: 'kafka' }, token(bob)))).toEqual(idsOf('pub', 'body', 'fol'));
    expect(ids(await get(api, '/api/v1/search/posts', { q: 'kafka', author_id: bob }, token(carol)))).toEqual(idsOf('body'));
  });
});
