import type { Token } from '../analysis/token';
import { EsError } from '../http/es-error';
import type { PostingList } from '../index/posting-list';
import { bm25, idf, lengthToNorm } from '../index/text-field-index';
import { BoolQuery, DisMaxQuery } from './bool-query';
import { EMPTY, intersect, type DocSet } from './doc-set';
import { MatchAllQuery, MatchNoneQuery, TermQuery } from './leaf-queries';
import type { ScoreNode } from './max-score-scorer';
import { PhraseScorer } from './phrase-scorer';
import { EmptyScorer, type Scorer } from './scorer';
import { fieldOf, type HighlightTerms, type Query, type SearchContext } from './query';

/** Reads the values at a dotted path of a source document (through objects and arrays). */
export function sourceValues(source: unknown, path: string): unknown[] {
  let current: unknown[] = [source];
  for (const part of path.split('.')) {
    const next: unknown[] = [];
    for (const c of current) {
      if (c && typeof c === 'object' && !Array.isArray(c)) {
        const v = (c as Record<string, unknown>)[part];
        if (Array.isArray(v)) next.push(...v);
        else if (v !== undefined && v !== null) next.push(v);
      }
    }
    current = next;
  }
  return current.flatMap((v) => (Array.isArray(v) ? v : [v]));
}

/** Analyses query text with the field's search analyzer (or `analyzer` given in the query). */
export function analyzeQuery(ctx: SearchContext, path: string, text: string, analyzer?: string): Token[] {
  const field = fieldOf(ctx, path);
  if (!field || field.type !== 'text') return [{ term: text, position: 0, start: 0, end: text.length, type: 'word' }];
  const name = analyzer ?? field.searchAnalyzer;
  const fn = ctx.analyzers.get(name);
  if (!fn) throw EsError.badRequest(`analyzer [${name}] not found for field [${path}]`);
  return fn(text);
}

export interface MatchOptions {
  operator?: 'or' | 'and';
  minimumShouldMatch?: string | number;
  analyzer?: string;
  boost?: number;
  zeroTermsQuery?: 'none' | 'all';
}

/** `match`: the analysed terms combined with `operator` / `minimum_should_match`. */
export class MatchQuery implements Query {
  constructor(private readonly field: string, private readonly text: string, private readonly options: MatchOptions = {}) {}

  private build(ctx: SearchContext): Query {
    const { options } = this;
    const tokens = analyzeQuery(ctx, this.field, this.text, options.analyzer);
    if (tokens.length === 0) return options.zeroTermsQuery === 'all' ? new MatchAllQuery() : new MatchNoneQuery();
    const terms = tokens.map((t) => new TermQuery(this.field, t.term));
    if (terms.length === 1) return new TermQuery(this.field, tokens[0].term, options.boost ?? 1);
    const and = options.operator === 'and';
    return new BoolQuery({
      must: and ? terms : [],
      should: and ? [] : terms,
      filter: [],
      mustNot: [],
      minimumShouldMatch: and ? undefined : options.minimumShouldMatch,
      boost: options.boost,
    });
  }

  execute(ctx: SearchContext): DocSet {
    return this.build(ctx).execute(ctx);
  }

  scoreTree(ctx: SearchContext): ScoreNode | undefined {
    return this.build(ctx).scoreTree?.(ctx);
  }

  scorer(ctx: SearchContext): Scorer | undefined {
    return this.build(ctx).scorer?.(ctx);
  }

  collectHighlightTerms(out: HighlightTerms, ctx: SearchContext): void {
    this.build(ctx).collectHighlightTerms?.(out, ctx);
  }
}

/** What a phrase of two or more terms needs to be searched in one index. */
interface PhrasePlan {
  lists: PostingList[];
  /** Occurrences of the phrase in a document (positions re-read from its source). */
  phraseFreq: (doc: number) => number;
  /** Its BM25 score for `freq` occurrences in `doc`. */
  scoreOf: (freq: number, doc: number) => number;
}

/** `match_phrase` (slop 0): candidates from the postings, positions verified by re-analysing the stored source. */
export class PhraseQuery implements Query {
  constructor(private readonly field: string, private readonly text: string, private readonly boost = 1, private readonly analyzer?: string) {}

  /** One term: a term query; several: a phrase plan; undefined: nothing matches. */
  private plan(ctx: SearchContext): TermQuery | PhrasePlan | undefined {
    const tokens = analyzeQuery(ctx, this.field, this.text, this.analyzer);
    if (tokens.length === 0) return undefined;
    if (tokens.length === 1) return new TermQuery(this.field, tokens[0].term, this.boost);
    const field = fieldOf(ctx, this.field);
    const index = ctx.view.text.get(this.field);
    if (!field || field.type !== 'text' || !index) return undefined;
    const lists: PostingList[] = [];
    for (const t of tokens) {
      const list = index.postings.get(t.term);
      if (!list) return undefined;
      lists.push(list);
    }
    const base = tokens[0].position;
    const pattern = tokens.map((t) => ({ term: t.term, offset: t.position - base }));
    const weight = Math.fround(this.boost * lists.reduce((sum, l) => Math.fround(sum + idf(l.size, index.docCount)), 0));
    const cache = index.normCache();
    const analyzer = ctx.analyzers.get(field.analyzer)!;
    const phraseFreq = (d: number) => {
      let freq = 0;
      for (const value of sourceValues(ctx.view.sources[d], field.sourcePath)) freq += phraseMatches(analyzer(String(value)), pattern).length;
      return freq;
    };
    return { lists, phraseFreq, scoreOf: (freq, d) => bm25(weight, freq, cache[lengthToNorm(index.lengthOf(d))]) };
  }

  execute(ctx: SearchContext): DocSet {
    const plan = this.plan(ctx);
    if (plan === undefined) return EMPTY;
    if (plan instanceof TermQuery) return plan.execute(ctx);
    // The exhaustive reference: intersect the whole posting lists, then count the phrase in every live candidate.
    let candidates: DocSet | undefined;
    for (const l of plan.lists) {
      const set = { docs: l.docs(), scores: new Float64Array(l.size) };
      candidates = candidates ? intersect(candidates, set, false) : set;
    }
    const docs: number[] = [];
    const scores: number[] = [];
    for (const d of candidates!.docs) {
      if (!ctx.view.live[d]) continue;
      const freq = plan.phraseFreq(d);
      if (freq === 0) continue;
      docs.push(d);
      scores.push(plan.scoreOf(freq, d));
    }
    return { docs: Int32Array.from(docs), scores: Float64Array.from(scores) };
  }

  /** Text fields: a term scorer (one term) or a two-phase phrase scorer; other fields materialise. */
  scorer(ctx: SearchContext): Scorer | undefined {
    if (fieldOf(ctx, this.field)?.type !== 'text') return undefined;
    const plan = this.plan(ctx);
    if (plan === undefined) return new EmptyScorer();
    if (plan instanceof TermQuery) {
      const leaf = plan.scoreTree(ctx);
      return leaf?.kind === 'leaf' ? leaf.scorer : new EmptyScorer();
    }
    return new PhraseScorer(plan.lists, ctx.view.live, plan.phraseFreq, plan.scoreOf);
  }

  collectHighlightTerms(out: HighlightTerms, ctx: SearchContext): void {
    const tokens = analyzeQuery(ctx, this.field, this.text, this.analyzer);
    let list = out.phrases.get(this.field);
    if (!list) out.phrases.set(this.field, (list = []));
    list.push(tokens.map((t) => t.term));
  }
}

/** Start indexes (into `tokens`) of each occurrence of the phrase `pattern`. */
export function phraseMatches(tokens: Token[], pattern: Array<{ term: string; offset: number }>): number[] {
  const byPosition = new Map<number, Token>();
  for (const t of tokens) byPosition.set(t.position, t);
  const starts: number[] = [];
  tokens.forEach((t, i) => {
    if (t.term !== pattern[0].term) return;
    if (pattern.every((p) => byPosition.get(t.position + p.offset)?.term === p.term)) starts.push(i);
  });
  return starts;
}

export interface FieldBoost {
  field: string;
  boost: number;
}

/** Parses `["title^2", "content"]`. */
export function parseFields(fields: unknown): FieldBoost[] {
  if (!Array.isArray(fields)) throw EsError.parsing('[fields] must be an array of field names');
  return fields.map((f) => {
    const [field, boost] = String(f).split('^');
    if (field.includes('*')) throw EsError.unsupported(`wildcard field pattern [${field}]`);
    return { field, boost: boost === undefined ? 1 : Number(boost) };
  });
}

export function multiMatch(
  text: string,
  fields: FieldBoost[],
  type: string,
  options: MatchOptions & { tieBreaker?: number },
): Query {
  const boost = options.boost ?? 1;
  switch (type) {
    case 'best_fields':
      return new DisMaxQuery(fields.map((f) => new MatchQuery(f.field, text, { ...options, boost: f.boost })), options.tieBreaker ?? 0, boost);
    case 'most_fields':
      return new BoolQuery({ must: [], should: fields.map((f) => new MatchQuery(f.field, text, { ...options, boost: f.boost })), filter: [], mustNot: [], boost });
    case 'phrase':
      return new DisMaxQuery(fields.map((f) => new PhraseQuery(f.field, text, f.boost, options.analyzer)), options.tieBreaker ?? 0, boost);
    default:
      throw EsError.unsupported(`multi_match type [${type}]`);
  }
}
