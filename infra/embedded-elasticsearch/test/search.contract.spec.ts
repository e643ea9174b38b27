import { MESSAGE_MAPPINGS, POST_MAPPINGS, indexSettings } from '@nova/search-index';
import { startTarget, type EsTarget } from './support/es-target';

let es: EsTarget;
let messages: string;
let posts: string;

const docs = [
  { id: 'm1', content: 'The quick brown fox jumps over the lazy dog', sender_id: 'alice', created_at: '2026-01-01T10:00:00Z', deleted: false },
  { id: 'm2', content: 'A quick reply about the brown paper bag', sender_id: 'bob', created_at: '2026-01-02T10:00:00Z', deleted: false },
  { id: 'm3', content: 'Lazy afternoon. Nothing quick here at all, really nothing.', sender_id: 'alice', created_at: '2026-01-03T10:00:00Z', deleted: true },
  { id: 'm4', content: '我们明天在东京见面', sender_id: 'carol', created_at: '2026-01-04T10:00:00Z', deleted: false },
  { id: 'm5', content: '東京タワーに行きました', sender_id: 'dave', created_at: '2026-01-05T10:00:00Z', deleted: false },
  { id: 'm6', content: 'fox fox fox', sender_id: 'erin', created_at: null, deleted: false },
];

beforeAll(async () => {
  es = await startTarget();
  messages = es.name('messages');
  posts = es.name('posts');
  await es.client.indices.create({ index: messages, settings: indexSettings(), mappings: MESSAGE_MAPPINGS as never });
  await es.client.indices.create({ index: posts, settings: indexSettings(), mappings: POST_MAPPINGS as never });
  await es.client.bulk({
    index: messages,
    refresh: true,
    operations: docs.flatMap((d) => [
      { index: { _id: d.id } },
      { ...d, conversation_id: 'c1', edited_at: null, deleted_at: null, source_lsn: null, committed_at: null, indexed_at: '2026-01-06T00:00:00Z' },
    ]),
  });
  await es.client.bulk({
    index: posts,
    refresh: true,
    operations: [
      { index: { _id: 'p1' } }, { id: 'p1', author_id: 'a', title: 'Rust search engines', content: 'Indexing text quickly', visibility: 'public', created_at: null, updated_at: null, deleted: false, deleted_at: null, source_lsn: null, committed_at: null, indexed_at: '2026-01-01T00:00:00Z' },
      { index: { _id: 'p2' } }, { id: 'p2', author_id: 'b', title: 'Cooking', content: 'Rust on a cast iron pan and search for a fix', visibility: 'private', created_at: null, updated_at: null, deleted: false, deleted_at: null, source_lsn: null, committed_at: null, indexed_at: '2026-01-01T00:00:00Z' },
    ],
  });
});
afterAll(async () => {
  await es?.stop();
});

const ids = (res: { hits: { hits: Array<{ _id?: string | null }> } }) => res.hits.hits.map((h) => h._id);

describe('search queries', () => {
  it('match_all, term, terms, range, ids, exists and bool', async () => {
    expect((await es.client.search({ index: messages, query: { match_all: {} } })).hits.total).toEqual({ value: 6, relation: 'eq' });
    expect(ids(await es.client.search({ index: messages, query: { term: { sender_id: 'alice' } }, sort: ['id'] }))).toEqual(['m1', 'm3']);
    expect(ids(await es.client.search({ index: messages, query: { terms: { sender_id: ['bob', 'carol'] } }, sort: ['id'] }))).toEqual(['m2', 'm4']);
    expect(ids(await es.client.search({ index: messages, query: { range: { created_at: { gte: '2026-01-02', lt: '2026-01-04' } } }, sort: ['id'] }))).toEqual(['m2', 'm3']);
    expect(ids(await es.client.search({ index: messages, query: { ids: { values: ['m5', 'm1', 'zz'] } }, sort: ['id'] }))).toEqual(['m1', 'm5']);
    expect((await es.client.count({ index: messages, query: { exists: { field: 'created_at' } } })).count).toBe(5);
    const bool = await es.client.search({
      index: messages,
      query: { bool: { must: [{ match: { content: 'quick' } }], filter: [{ term: { deleted: false } }], must_not: [{ term: { sender_id: 'bob' } }] } },
    });
    expect(ids(bool)).toEqual(['m1']);
  });

  it('match with operator and minimum_should_match; multi_match types and boosts', async () => {
    expect(ids(await es.client.search({ index: messages, query: { match: { content: { query: 'quick lazy', operator: 'and' } } }, sort: ['id'] }))).toEqual(['m1', 'm3']);
    expect(ids(await es.client.search({ index: messages, query: { match: { content: { query: 'quick brown lazy', minimum_should_match: '3' } } } }))).toEqual(['m1']);
    const best = await es.client.search({ index: posts, query: { multi_match: { query: 'rust search', fields: ['title^2', 'content'] } } });
    expect(ids(best)).toEqual(['p1', 'p2']);
    const phrase = await es.client.search({ index: posts, query: { multi_match: { query: 'search for', type: 'phrase', fields: ['title', 'content'] } } });
    expect(ids(phrase)).toEqual(['p2']);
    const most = await es.client.search({ index: posts, query: { multi_match: { query: 'rust', type: 'most_fields', fields: ['title', 'content'] } } });
    expect(ids(most).sort()).toEqual(['p1', 'p2']);
  });

  it('scores with BM25 (k1 1.2, b 0.75) exactly as Lucene', async () => {
    const res = await es.client.search({ index: messages, query: { match: { content: 'fox' } } });
    // fox: docFreq 2 of 6 docs; m6 has freq 3 in 3 tokens, m1 freq 1 in 9 tokens; avgdl = total tokens / 6.
    const lengths = [9, 8, 9, 9, 9, 3]; // standard analyzer token counts (each Han/Hiragana character is one token)
    const avgdl = Math.fround(lengths.reduce((a, b) => a + b) / 6);
    const idf = Math.fround(Math.log(1 + (6 - 2 + 0.5) / (2 + 0.5)));
    const score = (freq: number, dl: number) => {
      const normInverse = Math.fround(1 / Math.fround(1.2 * Math.fround(0.25 + Math.fround(Math.fround(0.75 * dl) / avgdl))));
      return Math.fround(idf - Math.fround(idf / Math.fround(1 + Math.fround(freq * normInverse))));
    };
    expect(ids(res)).toEqual(['m6', 'm1']);
    expect(res.hits.hits[0]._score).toBeCloseTo(score(3, 3), 5);
    expect(res.hits.hits[1]._score).toBeCloseTo(score(1, 9), 5);
    expect(res.hits.max_score).toBe(res.hits.hits[0]._score);
  });

  it('sums clause scores in a disjunction, as dis_max with tie_breaker 1 does', async () => {
    const match = await es.client.search({ index: messages, query: { match: { content: 'quick brown lazy' } } });
    const disMax = await es.client.search({
      index: messages,
      query: { dis_max: { tie_breaker: 1, queries: ['quick', 'brown', 'lazy'].map((t) => ({ term: { content: t } })) } },
    });
    expect(ids(match)).toEqual(ids(disMax));
    match.hits.hits.forEach((h, i) => expect(h._score).toBeCloseTo(disMax.hits.hits[i]._score as number, 5));
  });

  it('match_phrase and simple_query_string (phrases, exclusion, OR)', async () => {
    expect(ids(await es.client.search({ index: messages, query: { match_phrase: { content: 'quick brown' } } }))).toEqual(['m1']);
    expect(ids(await es.client.search({ index: messages, query: { match_phrase: { content: 'brown quick' } } }))).toEqual([]);
    const sqs = (query: string, extra: Record<string, unknown> = {}) =>
      es.client.search({ index: messages, query: { simple_query_string: { query, fields: ['content'], ...extra } }, sort: ['id'] });
    expect(ids(await sqs('"brown fox"'))).toEqual(['m1']);
    expect(ids(await sqs('quick -lazy', { default_operator: 'and' }))).toEqual(['m2']);
    expect(ids(await sqs('paper | afternoon'))).toEqual(['m2', 'm3']);
    expect(ids(await sqs('laz*'))).toEqual(['m1', 'm3']);
  });

  it('matches Chinese and Japanese through the standard (unigram) and cjk (bigram) fields', async () => {
    const standard = await es.client.search({ index: messages, query: { match: { content: { query: '东京', operator: 'and' } } } });
    expect(ids(standard)).toEqual(['m4']);
    const cjk = await es.client.search({ index: messages, query: { match_phrase: { 'content.cjk': '東京タワー' } } });
    expect(ids(cjk)).toEqual(['m5']);
    const both = await es.client.search({ index: messages, query: { multi_match: { query: '東京', fields: ['content', 'content.cjk'] } } });
    // 京 is the same character in 東京 and 东京: the unigram field matches both, the bigram field only 東京.
    expect(ids(both)).toEqual(['m5', 'm4']);
  });
});

describe('paging, sorting and shaping results', () => {
  it('from/size, sort by field and _score, search_after', async () => {
    const sorted = await es.client.search({ index: messages, sort: [{ created_at: { order: 'desc' } }, 'id'], size: 2 });
    expect(ids(sorted)).toEqual(['m5', 'm4']);
    expect(sorted.hits.hits[0].sort).toEqual([Date.parse('2026-01-05T10:00:00Z'), 'm5']);
    expect(sorted.hits.hits[0]._score).toBeNull();
    const next = await es.client.search({ index: messages, sort: [{ created_at: { order: 'desc' } }, 'id'], size: 10, search_after: sorted.hits.hits[1].sort });
    expect(ids(next)).toEqual(['m3', 'm2', 'm1', 'm6']);
    // hits.total counts every match, not only those after the cursor.
    expect(next.hits.total).toEqual(sorted.hits.total);
    const paged = await es.client.search({ index: messages, sort: ['id'], from: 2, size: 2 });
    expect(ids(paged)).toEqual(['m3', 'm4']);
    const byScore = await es.client.search({ index: messages, query: { match: { content: 'quick' } }, sort: ['_score', { id: 'asc' }] });
    expect(byScore.hits.hits.every((h) => typeof h._score === 'number')).toBe(true);
  });

  it('track_total_hits and _source filtering', async () => {
    const limited = await es.client.search({ index: messages, track_total_hits: 3, size: 0 });
    expect(limited.hits.total).toEqual({ value: 3, relation: 'gte' });
    const none = await es.client.search({ index: messages, track_total_hits: false, size: 1 });
    expect(none.hits.total).toBeUndefined();
    const filtered = await es.client.search({ index: messages, query: { ids: { values: ['m1'] } }, _source: ['id', 'sender_*'] });
    expect(filtered.hits.hits[0]._source).toEqual({ id: 'm1', sender_id: 'alice' });
    const excluded = await es.client.search({ index: messages, query: { ids: { values: ['m1'] } }, _source: { excludes: ['content', '*_at', 'deleted'] } });
    expect(excluded.hits.hits[0]._source).toEqual({ id: 'm1', conversation_id: 'c1', sender_id: 'alice', source_lsn: null });
    const off = await es.client.search({ index: messages, query: { ids: { values: ['m1'] } }, _source: false });
    expect(off.hits.hits[0]._source).toBeUndefined();
  });

  it('highlights with tags, fragment size and number of fragments', async () => {
    const res = await es.client.search({
      index: messages,
      query: { match: { content: 'quick nothing' } },
      highlight: { pre_tags: ['<b>'], post_tags: ['</b>'], fields: { content: { number_of_fragments: 1, fragment_size: 40 } } },
      sort: ['id'],
    });
    const m1 = res.hits.hits.find((h) => h._id === 'm1')!;
    expect(m1.highlight).toEqual({ content: ['The <b>quick</b> brown fox jumps over the lazy dog'] });
    const m3 = res.hits.hits.find((h) => h._id === 'm3')!;
    expect(m3.highlight!.content).toHaveLength(1);
    expect(m3.highlight!.content[0]).toContain('<b>quick</b>');
    const whole = await es.client.search({ index: messages, query: { match_phrase: { content: 'lazy dog' } }, highlight: { fields: { content: { number_of_fragments: 0 } } } });
    expect(whole.hits.hits[0].highlight).toEqual({ content: ['The quick brown fox jumps over the <em>lazy</em> <em>dog</em>'] });
  });
});

describe('filters over a few candidates among many documents', () => {
  it('applies term, terms, range and must_not filters to the scored candidates', async () => {
    const index = es.name('filters');
    await es.client.indices.create({ index, settings: indexSettings(), mappings: MESSAGE_MAPPINGS as never });
    const operations = Array.from({ length: 40 }, (_, i) => [
      { index: { _id: `f${i}` } },
      {
        id: `f${i}`, conversation_id: `c${i % 4}`, sender_id: `s${i % 5}`, content: i % 10 === 3 ? 'rare word here' : 'common words only',
        created_at: `2026-02-${String((i % 28) + 1).padStart(2, '0')}T00:00:00Z`, edited_at: null, deleted: i === 23, deleted_at: null,
        source_lsn: null, committed_at: null, indexed_at: '2026-03-01T00:00:00Z',
      },
    ]).flat();
    await es.client.bulk({ index, refresh: true, operations });
    // 'rare' is in f3, f13, f23, f33 (conversations c3, c1, c3, c1).
    const search = (filter: unknown[], mustNot: unknown[] = []) =>
      es.client.search({ index, query: { bool: { must: [{ match: { content: 'rare' } }], filter, must_not: mustNot } } as never, sort: ['id'] });
    expect(ids(await search([{ term: { conversation_id: 'c3' } }]))).toEqual(['f23', 'f3']);
    expect(ids(await search([{ terms: { conversation_id: ['c1', 'c3'] } }], [{ term: { deleted: true } }]))).toEqual(['f13', 'f3', 'f33']);
    expect(ids(await search([{ range: { created_at: { gte: '2026-02-10', lt: '2026-02-20' } } }]))).toEqual(['f13']);
    expect(ids(await search([{ exists: { field: 'edited_at' } }]))).toEqual([]);
  });
});
