import { arena } from './arena';
import { TermScorer, type Scorer } from './scorer';

/** NO_MORE_DOCS (a local constant: imported bindings are getters under the CommonJS transform). */
const NO_MORE_DOCS = 0x7fffffff;

/**
 * The shape of a pure disjunction of text terms (`match` with operator or, `multi_match` best_fields / most_fields,
 * `bool` should-only with minimum_should_match 1, `dis_max`): term leaves combined by sums and dis_max nodes, each
 * with its boost. Scores combine exactly as `Query.execute` does (sum from 0 in clause order, then `* boost` when
 * the boost is not 1; dis_max = max + tie_breaker * (sum - max)), so pruned and exhaustive searches agree bit for bit.
 */
export type ScoreNode =
  | { kind: 'leaf'; scorer: TermScorer }
  | { kind: 'sum' | 'max'; children: ScoreNode[]; tieBreaker: number; boost: number };

/** A node matching nothing (a term absent from the index). */
export const NO_MATCH: ScoreNode = { kind: 'sum', children: [], tieBreaker: 0, boost: 1 };

/** Evaluates a tree from per-leaf values (a score, or -1 for "not in this doc"); -1 when nothing matches. */
type Eval = (vals: Float64Array) => number;

function compile(node: ScoreNode, leaves: TermScorer[]): Eval {
  if (node.kind === 'leaf') {
    const i = leaves.push(node.scorer) - 1;
    return (v) => v[i];
  }
  const { boost, tieBreaker } = node;
  if (node.kind === 'sum' && node.children.every((c) => c.kind === 'leaf')) {
    // The common shape (a `match` query): a sum of terms, read straight from the values.
    const idx = Int32Array.from(node.children.map((c) => leaves.push((c as { scorer: TermScorer }).scorer) - 1));
    return (v) => {
      let acc = 0;
      let any = false;
      for (let k = 0; k < idx.length; k++) {
        const x = v[idx[k]];
        if (x >= 0) {
          acc += x;
          any = true;
        }
      }
      if (!any) return -1;
      return boost !== 1 ? acc * boost : acc;
    };
  }
  const children = node.children.map((c) => compile(c, leaves));
  if (node.kind === 'sum') {
    return (v) => {
      let acc = 0;
      let any = false;
      for (const f of children) {
        const x = f(v);
        if (x >= 0) {
          acc += x;
          any = true;
        }
      }
      if (!any) return -1;
      return boost !== 1 ? acc * boost : acc;
    };
  }
  return (v) => {
    let sum = 0;
    let max = 0;
    let count = 0;
    for (const f of children) {
      const x = f(v);
      if (x < 0) continue;
      sum += x;
      if (count === 0 || x > max) max = x;
      count++;
    }
    if (count === 0) return -1;
    const r = max + tieBreaker * (sum - max);
    return boost !== 1 ? r * boost : r;
  };
}

/** Scores are sums and products of float64s that are all monotone in each leaf; this margin absorbs their rounding. */
const MARGIN = 1 + 1e-9;
/** Documents per scoring window. */
const WINDOW = 2048;

/**
 * Iterates a disjunction tree with block-max MaxScore pruning, scoring a window of documents at a time (as Lucene's
 * MaxScoreBulkScorer): in each window every leaf's bound is the highest block maximum of its skip blocks there;
 * leaves whose bounds together cannot beat the minimum competitive score are "non-essential". Candidates come only
 * from the essential leaves (decoded in bulk into per-window arrays); a candidate's non-essential leaves are looked up
 * (best bound first) only while the candidate can still compete, and a window where nothing can compete is skipped
 * without decoding. Until `setMinCompetitiveScore` is called it is an exhaustive disjunction (hit counts stay exact).
 */
export class MaxScoreScorer implements Scorer {
  doc = -1;
  readonly cost: number;
  private readonly leaves: TermScorer[] = [];
  private readonly evaluate: Eval;
  private readonly vals: Float64Array;
  private readonly bounds: Float64Array;
  private readonly order: number[];
  private essential: number[] = [];
  /** Non-essential leaves, highest bound first. */
  private nonEssential: number[] = [];
  private minCompetitive = -Infinity;
  /** The boost of a tree that is one sum of leaves, in clause order (else undefined). */
  private readonly flatBoost: number | undefined;
  /** `rest[j]`: the sum of the bounds of the non-essential leaves from the j-th on. */
  private readonly rest: Float64Array;
  private current = 0;
  /** Per leaf, the scores of its documents in the current window (-1: absent). */
  private readonly windowScores: Float64Array;
  private readonly offsets: Int32Array;
  private readonly seen: Int32Array;
  /** Matches of the current window, waiting to be returned. */
  private readonly bufDocs: Int32Array;
  private readonly bufScores: Float64Array;
  private bufLen = 0;
  private bufPos = 0;
  private nextStart = 0;

  constructor(root: ScoreNode) {
    this.evaluate = compile(root, this.leaves);
    const n = this.leaves.length;
    if (root.kind === 'leaf') this.flatBoost = 1;
    else if (root.kind === 'sum' && root.children.every((c) => c.kind === 'leaf')) this.flatBoost = root.boost;
    this.rest = new Float64Array(n + 1);
    this.vals = new Float64Array(n);
    this.bounds = new Float64Array(n);
    this.order = Array.from({ length: n }, (_, i) => i);
    this.cost = this.leaves.reduce((c, l) => c + l.cost, 0);
    this.windowScores = arena.float64(n * WINDOW).fill(-1);
    this.offsets = arena.int32(WINDOW);
    this.seen = arena.int32(WINDOW).fill(0);
    this.bufDocs = arena.int32(WINDOW);
    this.bufScores = arena.float64(WINDOW);
  }

  setMinCompetitiveScore(score: number): void {
    // Read by the next window's partition and by every candidate's bound check.
    if (score > this.minCompetitive) this.minCompetitive = score;
  }

  score(): number {
    return this.current;
  }

  next(): number {
    for (;;) {
      if (this.bufPos < this.bufLen) {
        this.current = this.bufScores[this.bufPos];
        return (this.doc = this.bufDocs[this.bufPos++]);
      }
      if (this.nextStart >= NO_MORE_DOCS) return (this.doc = NO_MORE_DOCS);
      this.scoreWindow(this.nextStart);
    }
  }

  /**
   * Inside the buffered window: the next buffered match at or after `target`. Beyond it (a conjunction led by a
   * cheaper clause asks for scattered docs): one document at a time, decoding only up to `target` through the skip
   * data, instead of scoring a whole window.
   */
  advance(target: number): number {
    if (this.doc >= target) return this.doc;
    while (this.bufPos < this.bufLen && this.bufDocs[this.bufPos] < target) this.bufPos++;
    if (this.bufPos < this.bufLen) return this.next();
    const { leaves, vals } = this;
    let t = Math.max(target, this.nextStart);
    for (;;) {
      let doc = NO_MORE_DOCS;
      for (let i = 0; i < leaves.length; i++) {
        const d = leaves[i].advance(t);
        if (d < doc) doc = d;
      }
      if (doc === NO_MORE_DOCS) {
        this.nextStart = NO_MORE_DOCS;
        return (this.doc = NO_MORE_DOCS);
      }
      for (let i = 0; i < leaves.length; i++) vals[i] = leaves[i].doc === doc ? leaves[i].score() : -1;
      const score = this.evaluate(vals);
      vals.fill(-1);
      this.nextStart = doc + 1;
      if (score < 0) {
        t = doc + 1;
        continue;
      }
      this.current = score;
      return (this.doc = doc);
    }
  }

  /** Scores the window starting at `start` into the buffer and sets where the next one starts. */
  private scoreWindow(start: number): void {
    const { leaves, bounds, vals, windowScores, offsets, seen } = this;
    this.bufLen = this.bufPos = 0;
    const end = Math.min(start + WINDOW - 1, NO_MORE_DOCS - 1);
    let nextDoc = NO_MORE_DOCS;
    for (let i = 0; i < leaves.length; i++) {
      const leaf = leaves[i];
      bounds[i] = -1;
      let b = leaf.doc >= NO_MORE_DOCS ? -1 : leaf.blockFor(start);
      if (b < 0) continue;
      const first = Math.max(leaf.blockFirst(b), leaf.doc);
      if (first < nextDoc) nextDoc = first;
      if (first > end) continue;
      let bound = 0;
      while (b >= 0 && leaf.blockFirst(b) <= end) {
        bound = Math.max(bound, leaf.blockBound(b));
        if (leaf.blockLast(b) >= end) break;
        b = leaf.nextBlock(b);
      }
      bounds[i] = bound;
    }
    if (nextDoc === NO_MORE_DOCS) {
      this.nextStart = NO_MORE_DOCS;
      return;
    }
    if (nextDoc > end) {
      // No leaf has a document here: the next window starts at the first document of any leaf.
      this.nextStart = nextDoc;
      return;
    }
    this.nextStart = end + 1;
    this.partition();
    if (this.essential.length === 0) return;
    // One sum of leaves with one essential leaf: its documents that cannot compete even with every non-essential
    // leaf at its bound are dropped as they are decoded (the first check of `scoreFlat`).
    let floor: { extra: number; factor: number; min: number } | undefined;
    if (this.flatBoost !== undefined) {
      const { rest, nonEssential } = this;
      rest[nonEssential.length] = 0;
      for (let j = nonEssential.length - 1; j >= 0; j--) rest[j] = rest[j + 1] + bounds[nonEssential[j]];
      if (this.essential.length === 1 && this.minCompetitive > -Infinity) floor = { extra: rest[0], factor: this.flatBoost * MARGIN, min: this.minCompetitive };
    }
    let count = 0;
    for (const i of this.essential) {
      count = leaves[i].scoreRange(start, end, windowScores, i * WINDOW, seen, offsets, count, floor);
    }
    let found = offsets.subarray(0, count);
    if (this.essential.length > 1) {
      // Each leaf added its docs in order; together they need ordering: a scan of the marks when the window is
      // dense, a sort when it is sparse.
      if (count > WINDOW / 16) {
        let k = 0;
        for (let off = 0; off < WINDOW && k < count; off++) if (seen[off] !== 0) offsets[k++] = off;
        found = offsets.subarray(0, k);
      } else found.sort();
    }
    if (this.flatBoost !== undefined) {
      this.scoreFlat(start, found);
      return;
    }
    for (let k = 0; k < count; k++) {
      const off = found[k];
      seen[off] = 0;
      for (const i of this.essential) {
        vals[i] = windowScores[i * WINDOW + off];
        windowScores[i * WINDOW + off] = -1;
      }
      for (const i of this.nonEssential) vals[i] = bounds[i];
      const doc = start + off;
      let competitive = true;
      for (const i of this.nonEssential) {
        if (this.evaluate(vals) * MARGIN <= this.minCompetitive) {
          competitive = false;
          break;
        }
        vals[i] = leaves[i].advance(doc) === doc ? leaves[i].score() : -1;
      }
      if (!competitive) continue;
      const score = this.evaluate(vals);
      if (score < 0) continue;
      this.bufDocs[this.bufLen] = doc;
      this.bufScores[this.bufLen++] = score;
    }
  }

  /**
   * The candidates of a window when the tree is one sum of leaves (a `match` query): bounds are plain sums (the
   * scores found so far plus the bounds of the leaves not yet looked up, `rest`), the score is the leaves' values summed
   * from 0 in clause order, times the boost when it is not 1 (`compile`'s arithmetic), and a candidate that cannot
   * beat the minimum competitive score is not returned (it could not enter the top hits; hits are counted exactly
   * only until a minimum is set).
   */
  private scoreFlat(start: number, found: Int32Array): void {
    const { essential, nonEssential, windowScores, vals, leaves, seen, rest } = this;
    const boost = this.flatBoost!;
    const min = this.minCompetitive;
    const ne = nonEssential.length;
    const n = vals.length;
    for (let k = 0; k < found.length; k++) {
      const off = found[k];
      seen[off] = 0;
      let known = 0;
      for (let e = 0; e < essential.length; e++) {
        const at = essential[e] * WINDOW + off;
        const x = windowScores[at];
        windowScores[at] = -1;
        vals[essential[e]] = x;
        if (x >= 0) known += x;
      }
      const doc = start + off;
      let competitive = true;
      for (let j = 0; j < ne; j++) {
        if ((known + rest[j]) * boost * MARGIN <= min) {
          competitive = false;
          break;
        }
        const i = nonEssential[j];
        const leaf = leaves[i];
        const x = leaf.advance(doc) === doc ? leaf.score() : -1;
        vals[i] = x;
        if (x >= 0) known += x;
      }
      if (!competitive) continue;
      let acc = 0;
      for (let i = 0; i < n; i++) {
        const x = vals[i];
        if (x >= 0) acc += x;
      }
      const score = boost !== 1 ? acc * boost : acc;
      if (score <= min) continue;
      this.bufDocs[this.bufLen] = doc;
      this.bufScores[this.bufLen++] = score;
    }
  }

  /** Splits the window's leaves into essential and non-essential for the current minimum competitive score. */
  private partition(): void {
    const { bounds, vals } = this;
    const present = this.order.filter((i) => bounds[i] >= 0).sort((a, b) => bounds[a] - bounds[b]);
    vals.fill(-1);
    let k = 0;
    while (k < present.length) {
      vals[present[k]] = bounds[present[k]];
      if (this.evaluate(vals) * MARGIN > this.minCompetitive) break;
      k++;
    }
    vals.fill(-1);
    this.nonEssential = present.slice(0, k).reverse();
    this.essential = present.slice(k).sort((a, b) => a - b);
  }
}
