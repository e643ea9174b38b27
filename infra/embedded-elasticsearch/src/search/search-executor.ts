import { EsError } from '../http/es-error';
import { parseDateMath } from '../index/date-format';
import type { IndexStore } from '../index/index-store';
import type { PitSnapshot } from '../index/point-in-time';
import type { SearchableView } from '../index/searchable-view';
import { arena } from '../query/arena';
import { intersect, type DocSet } from '../query/doc-set';
import { MatchAllQuery } from '../query/leaf-queries';
import { parseQuery } from '../query/parse-query';
import { iteratingScorer } from '../query/query-scorers';
import type { HighlightTerms, Query, SearchContext } from '../query/query';
import { highlightHit, parseHighlight, type HighlightRequest } from './highlight';
import { compareSortValues, parseSort, sortValue, validateSort, type SortField, type SortValue } from './sort';
import { filterSource, parseSourceFilter, type SourceFilter } from './source-filter';
import { TopK } from './top-k';

const SUPPORTED_KEYS = new Set(['pit', 'query', 'from', 'size', 'sort', 'search_after', 'track_total_hits', '_source', 'highlight', 'track_scores', 'post_filter', 'min_score', 'timeout']);
const UNSUPPORTED_KEYS = new Set([
  'aggs', 'aggregations', 'suggest', 'collapse', 'rescore', 'script_fields', 'stored_fields', 'docvalue_fields', 'fields',
  'runtime_mappings', 'knn', 'profile', 'explain', 'version', 'seq_no_primary_term', 'indices_boost', 'stats',
  'terminate_after', 'slice', 'retriever', 'rank', 'ext', 'sub_searches',
]);

export interface SearchRequest {
  query: Query;
  from: number;
  size: number;
  sort: SortField[] | undefined;
  searchAfter: SortValue[] | undefined;
  trackTotalHits: number | boolean;
  source: SourceFilter;
  highlight: HighlightRequest | undefined;
  trackScores: boolean;
  postFilter: Query | undefined;
  minScore: number | undefined;
  /** `pit: {id, keep_alive}`: search a point in time. */
  pit: { id: unknown; keepAlive: unknown } | undefined;
}

export function parseSearchRequest(body: Record<string, unknown>, params: URLSearchParams): SearchRequest {
  for (const key of Object.keys(body)) {
    if (UNSUPPORTED_KEYS.has(key)) throw EsError.unsupported(`search option [${key}]`);
    if (!SUPPORTED_KEYS.has(key)) throw EsError.parsing(`Unknown key for a VALUE_STRING in [${key}].`);
  }
  if (params.has('q')) throw EsError.unsupported('URI search parameter [q]');
  const intParam = (name: string, fromBody: unknown, dflt: number) => {
    const v = params.get(name) ?? fromBody;
    if (v === undefined || v === null) return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw EsError.badRequest(`[${name}] parameter cannot be negative, found [${String(v)}]`);
    return n;
  };
  const tth = params.get('track_total_hits') ?? body.track_total_hits;
  const trackTotalHits = tth === undefined ? 10_000 : tth === true || tth === 'true' ? true : tth === false || tth === 'false' ? false : Number(tth);
  const searchAfter = body.search_after as SortValue[] | undefined;
  if (searchAfter !== undefined && !Array.isArray(searchAfter)) throw EsError.parsing('[search_after] must be an array');
  return {
    query: body.query === undefined ? new MatchAllQuery() : parseQuery(body.query),
    from: intParam('from', body.from, 0),
    size: intParam('size', body.size, 10),
    sort: parseSort(params.get('sort') ?? body.sort),
    searchAfter,
    trackTotalHits,
    source: parseSourceFilter(params.get('_source') ?? body._source, params.get('_source_includes') ?? undefined, params.get('_source_excludes') ?? undefined),
    highlight: body.highlight === undefined ? undefined : parseHighlight(body.highlight),
    trackScores: body.track_scores === true,
    postFilter: body.post_filter === undefined ? undefined : parseQuery(body.post_filter),
    minScore: body.min_score === undefined ? undefined : Number(body.min_score),
    pit: parsePit(body.pit),
  };
}

function parsePit(raw: unknown): SearchRequest['pit'] {
  if (raw === undefined) return undefined;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw EsError.parsing('[pit] must be an object');
  const o = raw as Record<string, unknown>;
  for (const key of Object.keys(o)) if (key !== 'id' && key !== 'keep_alive') throw EsError.parsing(`[pit] unknown field [${key}]`);
  if (typeof o.id !== 'string') throw EsError.parsing('[pit] requires [id]');
  return { id: o.id, keepAlive: o.keep_alive };
}

/** The search context of an index: what search sees now (as of its last refresh), or the frozen `view` of a point in time. */
export function contextOf(store: IndexStore, view: SearchableView = store.searchView()): SearchContext {
  return { view, mappings: store.mappings, analyzers: store.analyzers, indexName: store.name };
}

/** `_shard_doc` (the point-in-time tiebreaker): the shard's position in the request, then the doc number. */
const shardDoc = (index: number, doc: number) => index * 4_294_967_296 + doc;

interface Candidate {
  index: number;
  doc: number;
  score: number;
  key: SortValue[];
}

/** Runs a search over the indices and answers with Elasticsearch's response body. */
/**
 * `exhaustive` scores every match (no pruning, no iteration): the reference the pruned search is tested against.
 * `pitViews` are a point in time's snapshots of `stores` (then `_shard_doc` breaks sort ties, as in Elasticsearch).
 */
export function executeSearch(stores: IndexStore[], req: SearchRequest, options: { exhaustive?: boolean; pitViews?: PitSnapshot[] } = {}): Record<string, unknown> {
  const started = Date.now();
  arena.reset();
  const window = Math.min(...stores.map((s) => s.settings.maxResultWindow), 10_000);
  if (req.from + req.size > window && req.searchAfter === undefined) {
    throw EsError.badRequest(`Result window is too large, from + size must be less than or equal to: [${window}] but was [${req.from + req.size}]. See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting.`);
  }
  if (req.searchAfter !== undefined && req.from > 0) throw EsError.badRequest('`from` parameter must be set to 0 when `search_after` is used.');
  const pit = options.pitViews !== undefined;
  const explicitSort = req.sort ?? [{ field: '_score', order: 'desc', missing: '_last' } as SortField];
  if (!pit && explicitSort.some((s) => s.field === '_shard_doc')) throw EsError.badRequest('[_shard_doc] can only be used with point in time');
  const sort = pit && !explicitSort.some((s) => s.field === '_shard_doc') ? [...explicitSort, { field: '_shard_doc', order: 'asc', missing: '_last' } as SortField] : explicitSort;
  if (req.searchAfter !== undefined && req.searchAfter.length !== sort.length) {
    throw EsError.badRequest(`search_after has ${req.searchAfter.length} value(s) but sort has ${sort.length}.`);
  }
  const searchAfter = req.searchAfter?.map((v, i) => normaliseAfter(stores, sort[i], v));
  // Relevance order: `_score` descending, ties by index then doc, which is also `_shard_doc` ascending (a point in
  // time's implicit tiebreaker), so that sort is scored and pruned the same way.
  const byScore = sort[0].field === '_score' && sort[0].order === 'desc' &&
    (sort.length === 1 || (sort.length === 2 && sort[1].field === '_shard_doc' && sort[1].order === 'asc'));
  const scoreFirst = sort[0].field === '_score' && sort[0].order === 'desc';
  const scoresNeeded = req.sort === undefined || req.trackScores || sort.some((s) => s.field === '_score');
  const compare = (a: Candidate, b: Candidate) => (byScore ? b.score - a.score : compareSortValues(sort, a.key, b.key)) || a.index - b.index || a.doc - b.doc;
  const top = new TopK<Candidate>(req.from + req.size, compare);
  const contexts = stores.map((s, i) => contextOf(s, options.pitViews?.[i].searchView()));
  let total = 0;
  let maxScore = -Infinity;
  // Top-k pruning (as Lucene's TopScoreDocCollector): hits are counted exactly up to `track_total_hits`; past it,
  // documents that cannot enter the top k may be skipped. A later doc with an equal score never enters (ties go to
  // the lower index, then the lower doc), so "competitive" means strictly above the worst kept score.
  const countLimit = req.trackTotalHits === true ? Infinity : req.trackTotalHits === false ? -1 : req.trackTotalHits;
  const canPrune = byScore && !req.searchAfter && !req.postFilter && req.minScore === undefined && !options.exhaustive;
  // search_after in relevance order, tested inline (no sort key per match): a hit comes after (afterScore,
  // afterShardDoc) when its score is lower, or equal with a higher `_shard_doc`.
  const afterScore = byScore && typeof searchAfter?.[0] === 'number' ? searchAfter[0] : undefined;
  const afterDoc = sort.length === 1 ? Infinity : typeof searchAfter?.[1] === 'number' ? searchAfter[1] : undefined;
  const inlineAfter = afterScore !== undefined && afterDoc !== undefined;
  contexts.forEach((ctx, index) => {
    validateSort(ctx, sort);
    const visit = (doc: number, rawScore: number) => {
      const score = Math.fround(rawScore);
      if (req.minScore !== undefined && score < req.minScore) return;
      // Every match counts towards hits.total, those before `search_after` too (as Lucene's paging collectors do).
      total++;
      if (byScore && (!searchAfter || inlineAfter)) {
        if (inlineAfter && (score > afterScore! || (score === afterScore && shardDoc(index, doc) <= afterDoc!))) return;
        if (score > maxScore) maxScore = score;
        const worst = top.worst();
        if (worst && (score < worst.score || (score === worst.score && (index > worst.index || (index === worst.index && doc > worst.doc))))) return;
        top.offer({ index, doc, score, key: sort.length === 1 ? [score] : [score, shardDoc(index, doc)] });
        return;
      }
      if (scoreFirst && !searchAfter) {
        // `_score` desc then other keys: a lower score than the worst kept hit cannot enter (no sort key built; the
        // worst kept score is at most max_score).
        const worst = top.worst();
        if (worst && score < worst.score) return;
      }
      const key = byScore && sort.length === 1 ? [score] : sort.map((s) => (s.field === '_shard_doc' ? shardDoc(index, doc) : sortValue(ctx, s, doc, score)));
      if (searchAfter && compareSortValues(sort, key, searchAfter) <= 0) return;
      if (score > maxScore) maxScore = score;
      top.offer({ index, doc, score, key });
    };
    const scorer = req.postFilter || options.exhaustive ? undefined : iteratingScorer(req.query, ctx);
    if (!scorer) {
      let set: DocSet = req.query.execute(ctx);
      if (req.postFilter) set = intersect(set, req.postFilter.execute(ctx), false);
      for (let i = 0; i < set.docs.length; i++) visit(set.docs[i], set.scores[i]);
      return;
    }
    const prune = canPrune && scorer.setMinCompetitiveScore !== undefined;
    if (prune && total > countLimit && top.worst()) scorer.setMinCompetitiveScore!(top.worst()!.score);
    for (let doc = scorer.next(); doc !== 0x7fffffff /* NO_MORE_DOCS */; doc = scorer.next()) {
      visit(doc, scorer.score());
      if (prune && total > countLimit) {
        const worst = top.worst();
        if (worst) scorer.setMinCompetitiveScore!(worst.score);
      }
    }
  });
  const highlightTerms = req.highlight ? contexts.map((ctx) => collectTerms(req.query, ctx)) : [];
  const hits = top.sorted().slice(req.from).map((c) => {
    const ctx = contexts[c.index];
    const source = filterSource(ctx.view.sources[c.doc] as Record<string, unknown>, req.source);
    const highlight = req.highlight ? highlightHit(ctx, c.doc, req.highlight, highlightTerms[c.index]) : undefined;
    return {
      _index: ctx.indexName,
      _id: ctx.view.docIds[c.doc],
      _score: scoresNeeded ? floatJson(c.score) : null,
      ...(source !== undefined ? { _source: source } : {}),
      ...(highlight ? { highlight } : {}),
      ...(req.sort !== undefined || pit ? { sort: c.key.map((v, i) => (sort[i].field === '_score' && typeof v === 'number' ? floatJson(v) : v)) } : {}),
    };
  });
  const limit = req.trackTotalHits;
  const totalHits = limit === false ? undefined : limit === true || total <= limit ? { value: total, relation: 'eq' } : { value: limit, relation: 'gte' };
  const showMax = hits.length > 0 && scoresNeeded;
  return {
    took: Date.now() - started,
    timed_out: false,
    _shards: { total: stores.length, successful: stores.length, skipped: 0, failed: 0 },
    hits: {
      ...(totalHits ? { total: totalHits } : {}),
      max_score: showMax ? floatJson(maxScore) : null,
      hits,
    },
  };
}

/** A `search_after` value as the sort key holds it: scores as float32, dates given as strings as epoch millis. */
function normaliseAfter(stores: IndexStore[], s: SortField, v: SortValue): SortValue {
  if (s.field === '_score' && typeof v === 'number') return Math.fround(v);
  const type = stores.map((st) => st.mappings.fields.get(s.field)?.type).find(Boolean);
  if (type === 'date' && typeof v === 'string') return parseDateMath(v, false);
  if (type === 'boolean' && typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

/** The shortest decimal that reads back as the same float32, as Java prints a float score. */
export function floatJson(x: number): number {
  for (let p = 1; p < 10; p++) {
    const candidate = Number(x.toPrecision(p));
    if (Math.fround(candidate) === x) return candidate;
  }
  return x;
}

function collectTerms(query: Query, ctx: SearchContext): HighlightTerms {
  const out: HighlightTerms = { terms: new Map(), phrases: new Map(), prefixes: new Map() };
  query.collectHighlightTerms?.(out, ctx);
  return out;
}

/** `_count`: the number of matching documents. */
export function executeCount(stores: IndexStore[], query: Query): Record<string, unknown> {
  arena.reset();
  const count = stores.reduce((n, s) => n + query.execute(contextOf(s)).docs.length, 0);
  return { count, _shards: { total: stores.length, successful: stores.length, skipped: 0, failed: 0 } };
}
