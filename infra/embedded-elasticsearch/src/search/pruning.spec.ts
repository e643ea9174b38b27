import fc from 'fast-check';
import { IndexStore } from '../index/index-store';
import { executeSearch, parseSearchRequest } from './search-executor';

/**
 * Top-k pruning (block-max MaxScore) and conjunctions led by their cheapest clause must return exactly what
 * exhaustive scoring returns: the same hits, scores, tie-break order, totals and max_score.
 */
const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'eps', 'zeta', 'eta', 'theta', 'iota', 'kappa'];
/** Each word as one Han character: `zh` is `content` written without spaces (bigrams on `zh.cjk`, as Chinese text). */
const HAN = ['数', '据', '库', '北', '京', '搜', '索', '天', '气', '发'];
const toHan = (words: string) => words.split(' ').map((w) => HAN[WORDS.indexOf(w)]).join('');
const CONVERSATIONS = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'];
const MAPPINGS = {
  properties: {
    id: { type: 'keyword' },
    conversation_id: { type: 'keyword' },
    title: { type: 'text' },
    content: { type: 'text', fields: { cjk: { type: 'text', analyzer: 'cjk' } } },
    zh: { type: 'text', fields: { cjk: { type: 'text', analyzer: 'cjk' } } },
    created_at: { type: 'date' },
    deleted: { type: 'boolean' },
    deleted_at: { type: 'date' },
  },
};

/** Skewed word choice (a few common words, many rarer), so lists span many skip blocks and scores tie often. */
function pick(r: () => number): string {
  return WORDS[Math.min(WORDS.length - 1, Math.floor(-Math.log(1 - r()) * 2.2))];
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
}

function buildStore(name: string, seed: number, docs: number, churn = 0.1): IndexStore {
  const store = new IndexStore(name, { settings: { refresh_interval: '-1' }, mappings: MAPPINGS });
  const r = rng(seed);
  const text = (max: number) => Array.from({ length: 1 + Math.floor(r() * max) }, () => pick(r)).join(' ');
  const write = (i: number) => {
    const conversation = CONVERSATIONS[Math.floor(r() * CONVERSATIONS.length)];
    const title = text(4);
    const content = text(r() < 0.1 ? 60 : 12);
    store.write({
      opType: 'index',
      id: `d${i}`,
      source: {
        id: `d${i}`,
        conversation_id: conversation,
        title,
        content,
        zh: toHan(content),
        created_at: new Date(1_700_000_000_000 + Math.floor(r() * 1000) * 1000).toISOString(),
        deleted: r() < 0.05,
        ...(r() < 0.05 ? { deleted_at: '2026-01-01T00:00:00Z' } : {}),
      },
    });
  };
  for (let i = 0; i < docs; i++) write(i);
  store.refresh();
  // Updates and deletes after a refresh leave deleted doc numbers inside the postings (and in the statistics).
  for (let i = 0; i < docs * churn; i++) {
    const id = Math.floor(r() * docs);
    if (r() < 0.5) store.write({ opType: 'delete', id: `d${id}` });
    else write(id);
  }
  store.refresh();
  return store;
}

const words = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 }).map((w) => w.join(' '));
const boost = fc.constantFrom(1, 1, 0.5, 2, 3.7);
const textQuery = fc.oneof(
  fc.record({ q: words, b: boost }).map(({ q, b }) => ({ match: { content: { query: q, boost: b } } })),
  fc.record({ q: words, t: fc.constantFrom(0, 0, 0.3, 1) }).map(({ q, t }) => ({ multi_match: { query: q, fields: ['title^2', 'content'], tie_breaker: t } })),
  words.map((q) => ({ multi_match: { query: q, fields: ['title^1.5', 'content'], type: 'most_fields' } })),
  fc.tuple(words, words).map(([a, b]) => ({ bool: { should: [{ match: { content: a } }, { match: { title: b } }] } })),
  fc.tuple(words, words).map(([a, b]) => ({ dis_max: { queries: [{ match: { content: a } }, { match: { title: b } }], tie_breaker: 0.2 } })),
);
// Phrases (two-phase: candidates from the postings, positions confirmed), Chinese bigram phrases included, alone,
// in OR groups (disjunctions of phrases and words) and excluded (must_not).
const phrase = fc.array(fc.constantFrom(...WORDS.slice(0, 6)), { minLength: 2, maxLength: 3 }).map((w) => w.join(' '));
const hanPhrase = fc.array(fc.constantFrom(...WORDS.slice(0, 5)), { minLength: 1, maxLength: 4 }).map((w) => toHan(w.join(' ')));
const phraseQuery = fc.oneof(
  fc.record({ q: phrase, b: boost }).map(({ q, b }) => ({ match_phrase: { content: { query: q, boost: b } } })),
  fc.record({ q: phrase, t: fc.constantFrom(0, 0.3), b: boost }).map(({ q, t, b }) => ({ multi_match: { query: q, type: 'phrase', fields: ['title^2', 'content'], tie_breaker: t, boost: b } })),
  fc.tuple(phrase, words).map(([p, w]) => ({ simple_query_string: { query: `"${p}" ${w.split(' ')[0]}`, fields: ['content'], default_operator: 'and' } })),
  fc.tuple(phrase, phrase).map(([a, b]) => ({ simple_query_string: { query: `"${a}" | "${b}"`, fields: ['content', 'title'] } })),
  hanPhrase.map((q) => ({ multi_match: { query: q, type: 'phrase', fields: ['zh.cjk^1'] } })),
  hanPhrase.map((q) => ({ match_phrase: { zh: q } })),
  fc.record({ a: hanPhrase, w: words, b: boost }).map(({ a, w, b }) => ({ bool: { should: [{ multi_match: { query: a, type: 'phrase', fields: ['zh.cjk'] } }, { match: { content: w } }], minimum_should_match: 1, boost: b } })),
);
const filtered = fc
  .record({ must: fc.oneof(textQuery, phraseQuery), ids: fc.subarray(CONVERSATIONS, { minLength: 1 }), and: fc.boolean(), exclude: fc.option(phrase) })
  .map(({ must, ids, and, exclude }) => ({
    bool: {
      must: and ? [must, { match: { content: 'alpha' } }] : [must],
      filter: [{ terms: { conversation_id: ids } }],
      must_not: [{ term: { deleted: true } }, { exists: { field: 'deleted_at' } }, ...(exclude ? [{ match_phrase: { content: exclude } }] : [])],
    },
  }));
const request = fc.record({
  query: fc.oneof(textQuery, textQuery, phraseQuery, filtered, filtered),
  size: fc.integer({ min: 0, max: 25 }),
  from: fc.integer({ min: 0, max: 5 }),
  track_total_hits: fc.constantFrom<number | boolean | undefined>(undefined, 0, 1, 7, 50, 300, true, false),
  sort: fc.constantFrom<unknown>(undefined, undefined, ['_score'], [{ _score: 'desc' }, { id: 'asc' }], [{ created_at: 'desc' }, { id: 'desc' }]),
});

describe('pruned and led searches equal exhaustive scoring', () => {
  // prune_d deletes or rewrites enough documents to be compacted (doc numbers and postings rebuilt).
  const stores = [buildStore('prune_a', 7, 2500), buildStore('prune_b', 11, 700), buildStore('prune_c', 13, 40), buildStore('prune_d', 17, 3000, 0.9)];
  afterAll(() => stores.forEach((s) => s.close()));

  it.each([
    ['one large index', [0]],
    ['three indices (ties across indices)', [0, 1, 2]],
    ['a compacted index', [3]],
  ])('%s', (_name, which) => {
    const targets = which.map((i) => stores[i]);
    fc.assert(
      fc.property(request, (raw) => {
        const body = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
        const pruned = executeSearch(targets, parseSearchRequest(body, new URLSearchParams()));
        const exhaustive = executeSearch(targets, parseSearchRequest(body, new URLSearchParams()), { exhaustive: true });
        delete pruned.took;
        delete exhaustive.took;
        expect(pruned).toEqual(exhaustive);
      }),
      { numRuns: 300, endOnFailure: true },
    );
  });

  it('a large index (many scoring windows) pruned past few counted hits', () => {
    const large = buildStore('prune_e', 29, 20_000, 0.02);
    try {
      const pruning = fc.record({
        query: fc.oneof(textQuery, textQuery, phraseQuery, filtered),
        size: fc.integer({ min: 1, max: 20 }),
        track_total_hits: fc.constantFrom(0, 1, 10, 100),
      });
      fc.assert(
        fc.property(pruning, (body) => {
          const pruned = executeSearch([large], parseSearchRequest(body, new URLSearchParams()));
          const exhaustive = executeSearch([large], parseSearchRequest(body, new URLSearchParams()), { exhaustive: true });
          delete pruned.took;
          delete exhaustive.took;
          expect(pruned).toEqual(exhaustive);
        }),
        { numRuns: 150, endOnFailure: true },
      );
    } finally {
      large.close();
    }
  });

  it('a page sorted by _score then a field is the slice of every match in that order', () => {
    // The executor drops matches scoring below the worst kept hit before building their sort keys; a page must still
    // be exactly that slice of the full ordering (checked against a page holding every match, where nothing is dropped).
    const page = fc.record({ query: fc.oneof(textQuery, phraseQuery, filtered), from: fc.integer({ min: 0, max: 5 }), size: fc.integer({ min: 1, max: 25 }) });
    const sort = [{ _score: 'desc' }, { id: 'asc' }];
    type Hits = { hits: { max_score: number | null; hits: unknown[] } };
    fc.assert(
      fc.property(page, ({ query, from, size }) => {
        const all = executeSearch([stores[0]], parseSearchRequest({ query, sort, size: 3000, track_total_hits: false }, new URLSearchParams())) as Hits;
        const got = executeSearch([stores[0]], parseSearchRequest({ query, sort, from, size, track_total_hits: false }, new URLSearchParams())) as Hits;
        expect(all.hits.hits.length).toBeLessThan(3000);
        expect(got.hits.hits).toEqual(all.hits.hits.slice(from, from + size));
        if (got.hits.hits.length > 0) expect(got.hits.max_score).toBe(all.hits.max_score);
      }),
      { numRuns: 200, endOnFailure: true },
    );
  });

  it('skips documents once the hit count passes track_total_hits', () => {
    const body = { query: { match: { content: 'alpha beta kappa' } }, size: 3 };
    const res = executeSearch([stores[0]], parseSearchRequest(body, new URLSearchParams())) as { hits: { total: unknown; hits: unknown[] } };
    expect(res.hits.total).toEqual({ value: 2374, relation: 'eq' });
    const capped = executeSearch([stores[0]], parseSearchRequest({ ...body, track_total_hits: 10 }, new URLSearchParams())) as typeof res;
    expect(capped.hits.total).toEqual({ value: 10, relation: 'gte' });
    expect(capped.hits.hits).toEqual(res.hits.hits);
  });

  it('phrases skipped below the minimum competitive score (past track_total_hits) leave the top hits unchanged', () => {
    const phrases = [...HAN.slice(0, 5).flatMap((a) => HAN.slice(0, 5).map((b) => a + b)), '数据库', '数数据', '据库北京', '数数数'];
    for (const [field, q] of [...phrases.map((p) => ['zh.cjk', p]), ...phrases.map((p) => ['zh', p]), ['content', 'alpha beta'], ['content', 'alpha alpha']]) {
      for (const size of [1, 5, 20]) {
        const body = { query: { match_phrase: { [field]: q } }, size, track_total_hits: 0 };
        const pruned = executeSearch([stores[0]], parseSearchRequest(body, new URLSearchParams()));
        const exhaustive = executeSearch([stores[0]], parseSearchRequest(body, new URLSearchParams()), { exhaustive: true });
        delete pruned.took;
        delete exhaustive.took;
        expect(pruned).toEqual(exhaustive);
      }
    }
  });

  it('points in time answer exactly as the index did when each was opened, after writes, deletes, refreshes, compactions and the release of others', () => {
    const store = buildStore('prune_pit', 23, 2000);
    try {
      const bodies = fc.sample(request, { numRuns: 150, seed: 5 }).map((raw) => Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)));
      // Ids queries read the documents of then by id (some since updated or deleted).
      for (let i = 0; i < 20; i++) bodies.push({ query: { ids: { values: [`d${i * 7}`, `d${i * 11 + 1}`, `d${2000 + i}`] } } });
      const run = (views?: Array<ReturnType<typeof store.view.pin>>, exhaustive = false) =>
        bodies.map((body) => {
          const res = executeSearch([store], parseSearchRequest(body, new URLSearchParams()), views ? { pitViews: views, exhaustive } : {});
          delete res.took;
          // The point in time adds `_shard_doc` to the sort values; compare the rest.
          const hits = (res.hits as { hits: Array<{ sort?: unknown[] }> }).hits;
          if (views) for (const h of hits) if (body.sort === undefined) delete h.sort; else h.sort = h.sort!.slice(0, -1);
          return res;
        });
      const r = rng(99);
      const churn = (n: number) => {
        for (let i = 0; i < n; i++) {
          const id = `d${Math.floor(r() * 2500)}`;
          if (r() < 0.6) store.write({ opType: 'delete', id });
          else store.write({ opType: 'index', id, source: { id, conversation_id: 'c1', title: pick(r), content: `${pick(r)} ${pick(r)}`, created_at: '2026-01-01T00:00:00Z', deleted: false } });
          if (i % 300 === 0) store.refresh();
        }
        store.refresh();
      };
      const beforeA = run();
      const a = store.view.pin();
      churn(700);
      const beforeB = run();
      const b = store.view.pin();
      const b2 = store.view.pin(); // two opened at the same moment
      churn(800);
      expect(run([a])).toEqual(beforeA);
      expect(run([b])).toEqual(beforeB);
      // Releasing the oldest drops the log entries only it needed; the others still answer as of their moment.
      a.release();
      churn(300);
      expect(run([b2])).toEqual(beforeB);
      // Compaction does not wait for them: they keep reading the structures of their moment (retired, as Lucene
      // readers keep merged-away segments), points in time opened since read the new ones.
      expect(store.view.compactions).toBeGreaterThan(0);
      const compactions = store.view.compactions;
      const beforeC = run();
      const c = store.view.pin();
      churn(8000);
      expect(store.view.compactions).toBeGreaterThan(compactions);
      expect(run([b])).toEqual(beforeB);
      expect(run([c])).toEqual(beforeC);
      // Relevance order with the implicit `_shard_doc` tiebreaker is pruned as plain relevance order is.
      expect(run([c], true)).toEqual(beforeC);
      // Paging it with search_after (page after page) visits exactly the hits of one long page, in order.
      for (const text of ['alpha', 'beta gamma', 'kappa iota theta', 'zeta']) {
        type Hits = { hits: { total: { value: number }; hits: Array<{ _id: string; sort: unknown[] }> } };
        const search = (body: Record<string, unknown>) => executeSearch([store], parseSearchRequest({ query: { match: { content: text } }, ...body }, new URLSearchParams()), { pitViews: [c] }) as Hits;
        const all = search({ size: 3000 }).hits.hits;
        const paged: typeof all = [];
        // Bounded: a page that repeats its predecessor's last hit would otherwise loop forever.
        for (let after: unknown[] | undefined, pages = 0; pages <= all.length / 37 + 1; pages++) {
          const page = search({ size: 37, ...(after ? { search_after: after } : {}) }).hits.hits;
          if (page.length === 0) break;
          paged.push(...page);
          after = page[page.length - 1].sort;
        }
        expect(all.length).toBeGreaterThan(37);
        expect(paged.map((h) => [h._id, h.sort])).toEqual(all.map((h) => [h._id, h.sort]));
      }
      b.release();
      expect(run([b2])).toEqual(beforeB);
      b2.release();
      c.release();
      expect(store.view.pinnedLogLength).toBe(0);
    } finally {
      store.close();
    }
  });
});
