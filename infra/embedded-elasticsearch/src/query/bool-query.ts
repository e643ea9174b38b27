import { EsError } from '../http/es-error';
import { arena } from './arena';
import { accumulateSum, constantSet, intersect, subtract, union, type DocSet } from './doc-set';
import { ConjunctionScorer, type DocTest } from './conjunction-scorer';
import { DisjunctionScorer } from './disjunction-scorer';
import { TermQuery } from './leaf-queries';
import type { ScoreNode } from './max-score-scorer';
import { scorerOf } from './query-scorers';
import type { Scorer } from './scorer';
import { liveDocs, type HighlightTerms, type Query, type SearchContext } from './query';

export interface BoolClauses {
  must: Query[];
  should: Query[];
  filter: Query[];
  mustNot: Query[];
  minimumShouldMatch?: string | number;
  boost?: number;
}

/** Resolves `minimum_should_match` (integer, negative integer, percentage, negative percentage) for `n` clauses. */
export function resolveMinimumShouldMatch(spec: string | number | undefined, n: number, fallback: number): number {
  if (spec === undefined || spec === null) return fallback;
  const text = String(spec).trim();
  let m: RegExpExecArray | null;
  let result: number;
  if ((m = /^(-?)(\d+)%$/.exec(text))) {
    const count = Math.floor((n * Number(m[2])) / 100);
    result = m[1] ? n - count : count;
  } else if ((m = /^(-?)(\d+)$/.exec(text))) {
    result = m[1] ? n - Number(m[2]) : Number(m[2]);
  } else {
    throw EsError.unsupported(`minimum_should_match [${text}]`);
  }
  return Math.max(0, Math.min(n, result));
}

/** Adds the scores of `extra` to the docs of `base` that it also matches (optional should clauses). */
function addOptional(base: DocSet, extra: DocSet): DocSet {
  const scores = Float64Array.from(base.scores);
  let j = 0;
  for (let i = 0; i < base.docs.length; i++) {
    while (j < extra.docs.length && extra.docs[j] < base.docs[i]) j++;
    if (j < extra.docs.length && extra.docs[j] === base.docs[i]) scores[i] += extra.scores[j];
  }
  return { docs: base.docs, scores };
}

export class BoolQuery implements Query {
  constructor(private readonly c: BoolClauses) {}

  execute(ctx: SearchContext): DocSet {
    const { must, should, filter, mustNot } = this.c;
    const msm = resolveMinimumShouldMatch(this.c.minimumShouldMatch, should.length, must.length + filter.length === 0 ? 1 : 0);
    if (msm > should.length && should.length > 0) return { docs: new Int32Array(0), scores: new Float64Array(0) };
    if (must.length + filter.length + mustNot.length === 0 && should.length > 1 && should.every((q) => q instanceof TermQuery && q.isTextTerm(ctx))) {
      // A disjunction of text terms (a `match` query): scores go straight into dense accumulators.
      const set = accumulateSum(ctx.view.maxDoc, msm, (sum, count) => should.reduce((n, q) => n + (q as TermQuery).accumulate(ctx, sum, count), 0));
      const boost = this.c.boost ?? 1;
      return boost === 1 ? set : { docs: set.docs, scores: set.scores.map((x) => x * boost) };
    }
    let base: DocSet | undefined;
    for (const q of must) base = base ? intersect(base, q.execute(ctx)) : q.execute(ctx);
    if (should.length > 0) {
      const shouldSet = union(should.map((q) => q.execute(ctx)), Math.max(msm, 0), { kind: 'sum' });
      if (msm > 0) base = base ? intersect(base, shouldSet) : shouldSet;
      else if (base) base = addOptional(base, shouldSet);
    }
    const pendingFilters = [...filter];
    if (!base) {
      const first = pendingFilters.shift();
      base = first ? constantSet(first.execute(ctx).docs, 0) : constantSet(liveDocs(ctx), must.length + should.length === 0 && mustNot.length === 0 ? 1 : 0);
    }
    for (const q of pendingFilters) base = q.test && base.docs.length < ctx.view.maxDoc / 8 ? keep(ctx, base, q, true) : intersect(base, q.execute(ctx), false);
    for (const q of mustNot) base = q.test && base.docs.length < ctx.view.maxDoc / 8 ? keep(ctx, base, q, false) : subtract(base, q.execute(ctx));
    const boost = this.c.boost ?? 1;
    if (boost !== 1) base = { docs: base.docs, scores: base.scores.map((s) => s * boost) };
    return base;
  }

  /** A should-only bool matching one clause or more is a sum node of its clauses' trees. */
  scoreTree(ctx: SearchContext): ScoreNode | undefined {
    const { must, should, filter, mustNot } = this.c;
    const boost = this.c.boost ?? 1;
    if (must.length + filter.length + mustNot.length > 0 || should.length === 0 || !(boost >= 0)) return undefined;
    if (resolveMinimumShouldMatch(this.c.minimumShouldMatch, should.length, 1) !== 1) return undefined;
    const children: ScoreNode[] = [];
    for (const q of should) {
      const child = q.scoreTree?.(ctx);
      if (!child) return undefined;
      children.push(child);
    }
    return { kind: 'sum', children, tieBreaker: 0, boost };
  }

  /**
   * Required clauses (must, filter) without should: a conjunction led by the cheapest clause. Should clauses only,
   * one of them required, that are not all term leaves (then `scoreTree` prunes): a disjunction.
   */
  scorer(ctx: SearchContext): Scorer | undefined {
    const { must, should, filter, mustNot } = this.c;
    if (should.length > 0 && must.length + filter.length + mustNot.length === 0) {
      if (resolveMinimumShouldMatch(this.c.minimumShouldMatch, should.length, 1) !== 1) return undefined;
      return new DisjunctionScorer(should.map((q) => scorerOf(q, ctx)), { kind: 'sum' }, this.c.boost ?? 1);
    }
    if (should.length > 0 || must.length + filter.length === 0) return undefined;
    const scoring = must.map((q) => scorerOf(q, ctx));
    const required = [...scoring];
    const tests: DocTest[] = [];
    const tested: Query[] = [];
    for (const q of filter) {
      // Index lookups iterate; other filters with a per-doc test are checked on the candidates only.
      if (q.test && !q.indexed?.(ctx)) tested.push(q);
      else required.push(scorerOf(q, ctx));
    }
    if (required.length === 0) required.push(scorerOf(tested.shift()!, ctx));
    for (const q of tested) tests.push({ test: (d) => q.test!(ctx, d), wanted: true });
    const excluded: Scorer[] = [];
    for (const q of mustNot) {
      if (q.test) tests.push({ test: (d) => q.test!(ctx, d), wanted: false });
      else excluded.push(scorerOf(q, ctx));
    }
    return new ConjunctionScorer(scoring, required, tests, excluded, this.c.boost ?? 1);
  }

  collectHighlightTerms(out: HighlightTerms, ctx: SearchContext): void {
    for (const q of [...this.c.must, ...this.c.should, ...this.c.filter]) q.collectHighlightTerms?.(out, ctx);
  }
}

function keep(ctx: SearchContext, set: DocSet, q: Query, wanted: boolean): DocSet {
  const docs = arena.int32(set.docs.length);
  const scores = arena.float64(set.docs.length);
  let k = 0;
  for (let i = 0; i < set.docs.length; i++) {
    if ((q.test as (c: SearchContext, d: number) => boolean)(ctx, set.docs[i]) !== wanted) continue;
    docs[k] = set.docs[i];
    scores[k++] = set.scores[i];
  }
  return { docs: docs.subarray(0, k), scores: scores.subarray(0, k) };
}

/** `dis_max`: the best clause's score plus `tie_breaker` times the others'. */
export class DisMaxQuery implements Query {
  constructor(private readonly queries: Query[], private readonly tieBreaker = 0, private readonly boost = 1) {}
  execute(ctx: SearchContext): DocSet {
    const set = union(this.queries.map((q) => q.execute(ctx)), 1, { kind: 'max', tieBreaker: this.tieBreaker });
    return this.boost === 1 ? set : { docs: set.docs, scores: set.scores.map((s) => s * this.boost) };
  }
  scoreTree(ctx: SearchContext): ScoreNode | undefined {
    if (this.queries.length === 0 || !(this.boost >= 0) || !(this.tieBreaker >= 0 && this.tieBreaker <= 1)) return undefined;
    const children: ScoreNode[] = [];
    for (const q of this.queries) {
      const child = q.scoreTree?.(ctx);
      if (!child) return undefined;
      children.push(child);
    }
    return { kind: 'max', children, tieBreaker: this.tieBreaker, boost: this.boost };
  }

  /** Clauses that are not all term leaves (e.g. `multi_match` phrase): a disjunction, document at a time. */
  scorer(ctx: SearchContext): Scorer | undefined {
    if (this.queries.length === 0) return undefined;
    return new DisjunctionScorer(this.queries.map((q) => scorerOf(q, ctx)), { kind: 'max', tieBreaker: this.tieBreaker }, this.boost);
  }

  collectHighlightTerms(out: HighlightTerms, ctx: SearchContext): void {
    for (const q of this.queries) q.collectHighlightTerms?.(out, ctx);
  }
}

/** `constant_score`: the filter's matches, each scored `boost`. */
export class ConstantScoreQuery implements Query {
  constructor(private readonly inner: Query, private readonly boost = 1) {}
  execute(ctx: SearchContext): DocSet {
    return constantSet(this.inner.execute(ctx).docs, this.boost);
  }
  collectHighlightTerms(out: HighlightTerms, ctx: SearchContext): void {
    this.inner.collectHighlightTerms?.(out, ctx);
  }
}
