import { parseDateMath } from '../index/date-format';
import type { FieldMapping } from '../index/mapping';
import type { ColumnValue } from '../index/searchable-view';
import { bm25, idf } from '../index/text-field-index';
import { EsError } from '../http/es-error';
import { arena } from './arena';
import { EMPTY, constantSet, union, type DocSet } from './doc-set';
import { NO_MATCH, type ScoreNode } from './max-score-scorer';
import { lengthNorm, TermScorer } from './scorer';
import { addHighlightTerm, fieldOf, liveDocs, type HighlightTerms, type Query, type SearchContext } from './query';

const K1 = 1.2;

export class MatchAllQuery implements Query {
  constructor(private readonly boost = 1) {}
  execute(ctx: SearchContext): DocSet {
    return constantSet(liveDocs(ctx), this.boost);
  }
  test(): boolean {
    return true;
  }
}

export class MatchNoneQuery implements Query {
  execute(): DocSet {
    return EMPTY;
  }
  test(): boolean {
    return false;
  }
}

/** Normalises a query value to what the field's column holds. */
export function columnValue(field: FieldMapping, value: unknown, roundUp = false): ColumnValue {
  switch (field.type) {
    case 'date':
      return parseDateMath(value, roundUp);
    case 'boolean':
      if (value === true || value === 'true') return true;
      if (value === false || value === 'false' || value === '') return false;
      throw EsError.badRequest(`Can't parse boolean value [${String(value)}], expected [true] or [false]`);
    case 'keyword':
      return String(value);
    default: {
      const n = Number(value);
      if (typeof value === 'boolean' || !Number.isFinite(n)) throw EsError.badRequest(`For input string: "${String(value)}"`);
      return n;
    }
  }
}

function scanColumn(ctx: SearchContext, path: string, pred: (v: ColumnValue) => boolean): Int32Array {
  const column = ctx.view.columns.get(path);
  if (!column) return new Int32Array(0);
  const { live, maxDoc } = ctx.view;
  const out: number[] = [];
  for (let d = 0; d < maxDoc; d++) {
    if (!live[d]) continue;
    const v = column[d];
    if (v === undefined) continue;
    if (Array.isArray(v) ? v.some(pred) : pred(v)) out.push(d);
  }
  return Int32Array.from(out);
}

/** The live docs whose column holds any of `values`, in doc order, through the view's value index. */
function lookupColumn(ctx: SearchContext, path: string, values: ColumnValue[]): Int32Array {
  const { live } = ctx.view;
  const index = ctx.view.valueIndex(path);
  const lists: Array<number | number[]> = [];
  let total = 0;
  for (const v of new Set(values)) {
    if (typeof v === 'number' && Number.isNaN(v)) continue;
    const docs = index.get(v);
    if (docs === undefined) continue;
    lists.push(docs);
    total += typeof docs === 'number' ? 1 : docs.length;
  }
  const out = arena.int32(total);
  let k = 0;
  for (const docs of lists) {
    if (typeof docs === 'number') {
      if (live[docs]) out[k++] = docs;
    } else for (const d of docs) if (live[d]) out[k++] = d;
  }
  const result = out.subarray(0, k);
  if (lists.length <= 1) return result;
  // Several values: merge (a doc holding two of them, in an array, counts once).
  result.sort();
  let w = 0;
  for (let i = 0; i < result.length; i++) if (i === 0 || result[i] !== result[i - 1]) result[w++] = result[i];
  return result.subarray(0, w);
}

function testColumn(ctx: SearchContext, path: string, doc: number, pred: (v: ColumnValue) => boolean): boolean {
  const v = ctx.view.columns.get(path)?.[doc];
  if (v === undefined) return false;
  return Array.isArray(v) ? v.some(pred) : pred(v);
}

/** A single term: BM25-scored against a text field's postings, or a keyword/boolean/date/numeric column. */
export class TermQuery implements Query {
  constructor(private readonly field: string, private readonly value: unknown, private readonly boost = 1) {}

  execute(ctx: SearchContext): DocSet {
    const field = fieldOf(ctx, this.field);
    if (!field) return EMPTY;
    if (field.type === 'text') return this.scoreText(ctx, String(this.value));
    const docs = lookupColumn(ctx, this.field, [columnValue(field, this.value)]);
    if (field.type === 'keyword' || field.type === 'boolean') {
      const docCount = ctx.view.columnDocCount.get(this.field) ?? 0;
      return constantSet(docs, bm25(Math.fround(this.boost * idf(docs.length, docCount)), 1, Math.fround(1 / K1)));
    }
    return constantSet(docs, this.boost);
  }

  private tester?: { ctx: SearchContext; fn: (doc: number) => boolean };

  /** Per-document test, prepared once per index searched (filters call it for every candidate). */
  test(ctx: SearchContext, doc: number): boolean {
    if (this.tester?.ctx !== ctx) {
      const field = fieldOf(ctx, this.field);
      let fn: (doc: number) => boolean;
      if (!field) fn = () => false;
      else if (field.type === 'text') {
        const list = ctx.view.text.get(this.field)?.postings.get(String(this.value));
        fn = (d) => (list?.freqOf(d) ?? 0) > 0;
      } else {
        const wanted = columnValue(field, this.value);
        const pred = (v: ColumnValue) => v === wanted;
        fn = (d) => testColumn(ctx, this.field, d, pred);
      }
      this.tester = { ctx, fn };
    }
    return this.tester.fn(doc);
  }

  /** Whether this is a term of a text field (scored from postings), in this index. */
  isTextTerm(ctx: SearchContext): boolean {
    return fieldOf(ctx, this.field)?.type === 'text';
  }

  /** A leaf for pruned disjunctions (text fields only). */
  scoreTree(ctx: SearchContext): ScoreNode | undefined {
    if (!this.isTextTerm(ctx)) return undefined;
    const index = ctx.view.text.get(this.field);
    const list = index?.postings.get(String(this.value));
    if (!index || !list) return NO_MATCH;
    const weight = Math.fround(this.boost * idf(list.size, index.docCount));
    return { kind: 'leaf', scorer: new TermScorer(list, ctx.view.live, index.lengths, weight, index.normCache()) };
  }

  indexed(ctx: SearchContext): boolean {
    const type = fieldOf(ctx, this.field)?.type;
    return type !== undefined && type !== 'text';
  }

  /** BM25 scoring over the postings: the per-posting weight tables and norm lookup. */
  private bm25Tables(ctx: SearchContext, term: string) {
    const index = ctx.view.text.get(this.field);
    const list = index?.postings.get(term);
    if (!index || !list) return undefined;
    const weight = Math.fround(this.boost * idf(list.size, index.docCount));
    const cache = index.normCache();
    const lengths = index.lengths;
    return {
      list,
      normOf: (d: number) => lengthNorm(lengths[d]),
      // Most postings have frequency 1: their score depends only on the length norm, so it is looked up.
      scoreOfFreq1: cache.map((normInverse) => bm25(weight, 1, normInverse)),
      scoreOf: (freq: number, norm: number) => bm25(weight, freq, cache[norm]),
    };
  }

  private scoreText(ctx: SearchContext, term: string): DocSet {
    const s = this.bm25Tables(ctx, term);
    if (!s) return EMPTY;
    const docs = arena.int32(s.list.size);
    const scores = arena.float64(s.list.size);
    const k = s.list.scoreInto(ctx.view.live, s.normOf, s.scoreOfFreq1, s.scoreOf, docs, scores);
    return { docs: docs.subarray(0, k), scores: scores.subarray(0, k) };
  }

  /** Adds this text term's scores into dense accumulators (see `accumulateSum`); returns the postings added. */
  accumulate(ctx: SearchContext, sum: Float64Array, count: Uint16Array): number {
    const s = this.bm25Tables(ctx, String(this.value));
    return s ? s.list.accumulateInto(ctx.view.live, s.normOf, s.scoreOfFreq1, s.scoreOf, sum, count) : 0;
  }

  collectHighlightTerms(out: HighlightTerms): void {
    addHighlightTerm(out, this.field, String(this.value));
  }
}


/** `terms`: any of the values; constant score. */
export class TermsQuery implements Query {
  constructor(private readonly field: string, private readonly values: unknown[], private readonly boost = 1) {}

  execute(ctx: SearchContext): DocSet {
    const field = fieldOf(ctx, this.field);
    if (!field || this.values.length === 0) return EMPTY;
    if (field.type === 'text') {
      const sets = this.values.map((v) => new TermQuery(this.field, v).execute(ctx));
      const all = union(sets, 1, { kind: 'sum' });
      return constantSet(all.docs, this.boost);
    }
    return constantSet(lookupColumn(ctx, this.field, this.values.map((v) => columnValue(field, v))), this.boost);
  }

  indexed(ctx: SearchContext): boolean {
    const type = fieldOf(ctx, this.field)?.type;
    return type !== undefined && type !== 'text';
  }

  private tester?: { ctx: SearchContext; fn: (doc: number) => boolean };

  test(ctx: SearchContext, doc: number): boolean {
    if (this.tester?.ctx !== ctx) {
      const field = fieldOf(ctx, this.field);
      let fn: (doc: number) => boolean;
      if (!field) fn = () => false;
      else if (field.type === 'text') {
        const terms = this.values.map((v) => new TermQuery(this.field, v));
        fn = (d) => terms.some((t) => t.test(ctx, d));
      } else {
        const wanted = new Set(this.values.map((v) => columnValue(field, v)));
        const pred = (v: ColumnValue) => wanted.has(v);
        fn = (d) => testColumn(ctx, this.field, d, pred);
      }
      this.tester = { ctx, fn };
    }
    return this.tester.fn(doc);
  }

  collectHighlightTerms(out: HighlightTerms): void {
    for (const v of this.values) addHighlightTerm(out, this.field, String(v));
  }
}

export class IdsQuery implements Query {
  constructor(private readonly ids: string[], private readonly boost = 1) {}
  execute(ctx: SearchContext): DocSet {
    const docs = this.ids.map((id) => ctx.view.docOf(String(id))).filter((d): d is number => d !== undefined);
    return constantSet(Int32Array.from(new Set(docs)).sort(), this.boost);
  }
  indexed(): boolean {
    return true;
  }
  test(ctx: SearchContext, doc: number): boolean {
    return this.ids.includes(ctx.view.docIds[doc]);
  }
}

export class ExistsQuery implements Query {
  constructor(private readonly field: string, private readonly boost = 1) {}
  execute(ctx: SearchContext): DocSet {
    const out: number[] = [];
    for (let d = 0; d < ctx.view.maxDoc; d++) if (ctx.view.live[d] && this.test(ctx, d)) out.push(d);
    return constantSet(Int32Array.from(out), this.boost);
  }
  test(ctx: SearchContext, doc: number): boolean {
    const text = ctx.view.text.get(this.field);
    if (text) return text.lengthOf(doc) > 0;
    return ctx.view.columns.get(this.field)?.[doc] !== undefined;
  }
}

export interface RangeBounds {
  gt?: unknown;
  gte?: unknown;
  lt?: unknown;
  lte?: unknown;
}

/** `range` over a keyword, date or numeric field; constant score. */
export class RangeQuery implements Query {
  constructor(private readonly field: string, private readonly bounds: RangeBounds, private readonly boost = 1) {}

  private predicate(ctx: SearchContext): (v: ColumnValue) => boolean {
    const field = fieldOf(ctx, this.field);
    if (!field) return () => false;
    if (field.type === 'text') throw EsError.unsupported(`range query on text field [${this.field}]`);
    const b = this.bounds;
    const gt = b.gt === undefined ? undefined : columnValue(field, b.gt, true);
    const gte = b.gte === undefined ? undefined : columnValue(field, b.gte, false);
    const lt = b.lt === undefined ? undefined : columnValue(field, b.lt, false);
    const lte = b.lte === undefined ? undefined : columnValue(field, b.lte, true);
    return (v) => (gt === undefined || v > gt) && (gte === undefined || v >= gte) && (lt === undefined || v < lt) && (lte === undefined || v <= lte);
  }

  execute(ctx: SearchContext): DocSet {
    return constantSet(scanColumn(ctx, this.field, this.predicate(ctx)), this.boost);
  }

  private tester?: { ctx: SearchContext; pred: (v: ColumnValue) => boolean };

  test(ctx: SearchContext, doc: number): boolean {
    if (this.tester?.ctx !== ctx) this.tester = { ctx, pred: this.predicate(ctx) };
    return testColumn(ctx, this.field, doc, this.tester.pred);
  }
}

/** `prefix` on a keyword column or a text field's term dictionary; constant score. */
export class PrefixQuery implements Query {
  constructor(private readonly field: string, private readonly prefix: string, private readonly boost = 1) {}

  execute(ctx: SearchContext): DocSet {
    const field = fieldOf(ctx, this.field);
    if (!field) return EMPTY;
    if (field.type === 'keyword') return constantSet(scanColumn(ctx, this.field, (v) => String(v).startsWith(this.prefix)), this.boost);
    if (field.type !== 'text') throw EsError.badRequest(`Can only use prefix queries on keyword and text fields - not on [${this.field}] which is of type [${field.type}]`);
    const terms = [...(ctx.view.text.get(this.field)?.postings.keys() ?? [])].filter((t) => t.startsWith(this.prefix));
    const all = union(terms.map((t) => new TermQuery(this.field, t).execute(ctx)), 1, { kind: 'sum' });
    return constantSet(all.docs, this.boost);
  }

  collectHighlightTerms(out: HighlightTerms): void {
    let list = out.prefixes.get(this.field);
    if (!list) out.prefixes.set(this.field, (list = []));
    list.push(this.prefix);
  }
}
