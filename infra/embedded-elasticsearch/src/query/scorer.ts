import { NO_MORE_DOCS as END, PostingCursor } from '../index/posting-cursor';
import type { PostingList } from '../index/posting-list';
import { bm25, lengthToNorm } from '../index/text-field-index';
import { arena } from './arena';
import type { DocSet } from './doc-set';

export const NO_MORE_DOCS: number = END;

/**
 * Matches of a query one document at a time, in ascending doc order (Lucene's Scorer): `next`/`advance` move to the
 * next match, `score` gives the current one's score, computed with exactly the arithmetic of `Query.execute`, so an
 * iterated search returns the same scores as a materialised one.
 */
export interface Scorer extends DocIterator {
  doc: number;
  score(): number;
  /** Documents scoring at most `score` may be skipped from now on (top-k pruning); scores never decrease. */
  setMinCompetitiveScore?(score: number): void;
  /**
   * For a scorer whose matches are costly to confirm (a phrase: positions), its two phases (Lucene's
   * TwoPhaseIterator): a cheap approximation and the confirmation, so that a conjunction confirms only the documents
   * every other clause accepts. The approximation shares the scorer's position: after `matches()` returns true,
   * `doc` and `score()` are the match's.
   */
  twoPhase?(): TwoPhase | undefined;
}

/** Moves forwards over documents in ascending order. */
export interface DocIterator {
  next(): number;
  /** The first document at or after `target` (no move when the current doc is already there). */
  advance(target: number): number;
  /** An upper bound of the number of documents (to lead conjunctions with the cheapest clause). */
  readonly cost: number;
}

export interface TwoPhase {
  /** Candidates: every match, and maybe more. */
  approximation: DocIterator;
  /** Whether the approximation's current document matches. */
  matches(): boolean;
}

/** The clause a conjunction or disjunction iterates and how it confirms a document. */
export function phasesOf(s: Scorer): { iterator: DocIterator; matches: (() => boolean) | undefined } {
  const tp = s.twoPhase?.();
  return tp ? { iterator: tp.approximation, matches: () => tp.matches() } : { iterator: s, matches: undefined };
}

/** Matches nothing. */
export class EmptyScorer implements Scorer {
  doc = -1;
  readonly cost = 0;
  next(): number {
    return (this.doc = 0x7fffffff);
  }
  advance(): number {
    return (this.doc = 0x7fffffff);
  }
  score(): number {
    return 0;
  }
}

let normMemo: Uint8Array | undefined;
/** The one-byte length norm of a field length (memoised for common lengths). */
export function lengthNorm(length: number): number {
  if (length < 4096) {
    normMemo ??= Uint8Array.from({ length: 4096 }, (_, i) => lengthToNorm(i));
    return normMemo[length];
  }
  return lengthToNorm(length);
}

/** BM25 over one text term's postings, live documents only; block score bounds from the skip data. */
export class TermScorer implements Scorer {
  doc = -1;
  readonly cost: number;
  private readonly cursor: PostingCursor;
  private readonly scoreOfFreq1: Float64Array;
  /** `bm25(weight, freq, cache[norm])` at `(freq << 8) | norm` for frequencies below 64, computed on first use (NaN before). */
  private readonly scoreTable: Float64Array;
  private blockBounds: Float64Array | undefined;

  constructor(
    private readonly list: PostingList,
    private readonly live: Uint8Array,
    private readonly lengths: Int32Array,
    private readonly weight: number,
    private readonly cache: Float64Array,
  ) {
    this.cursor = new PostingCursor(list);
    this.cost = list.size;
    // Most postings have frequency 1: their score depends only on the length norm, so it is looked up.
    this.scoreOfFreq1 = cache.map((normInverse) => bm25(weight, 1, normInverse));
    this.scoreTable = arena.float64(64 << 8).fill(NaN);
    lengthNorm(0); // initialises the memo `scoreRange` reads
  }

  next(): number {
    const live = this.live;
    let d = this.cursor.next();
    while (d !== 0x7fffffff && !live[d]) d = this.cursor.next();
    return (this.doc = d);
  }

  advance(target: number): number {
    if (this.doc >= target) return this.doc;
    const live = this.live;
    let d = this.cursor.advance(target);
    while (d !== 0x7fffffff && !live[d]) d = this.cursor.next();
    return (this.doc = d);
  }

  score(): number {
    const norm = lengthNorm(this.lengths[this.doc]);
    const freq = this.cursor.freq;
    if (freq === 1) return this.scoreOfFreq1[norm];
    if (freq >= 64) return bm25(this.weight, freq, this.cache[norm]);
    const at = (freq << 8) | norm;
    const known = this.scoreTable[at];
    return known === known ? known : (this.scoreTable[at] = bm25(this.weight, freq, this.cache[norm]));
  }

  /**
   * Scores this term's live documents from `start` to `end` at once: `scores[base + doc - start]` gets each one's
   * score and the offsets `doc - start` not yet `seen` are marked and appended to `offsets` from `count`. Returns
   * the new count; the scorer is left on its first document past `end`. The postings are decoded inline (the
   * decoding of `PostingCursor.next`, with the state in locals), as Lucene decodes a block at a time. With a `floor`,
   * documents whose `(score + extra) * factor <= min` are left out.
   */
  scoreRange(
    start: number,
    end: number,
    scores: Float64Array,
    base: number,
    seen: Int32Array,
    offsets: Int32Array,
    count: number,
    floor?: { extra: number; factor: number; min: number },
  ): number {
    if (this.advance(start) > end) return count;
    const { live, lengths, scoreOfFreq1, scoreTable, cache, weight, cursor, list } = this;
    const extra = floor ? floor.extra : 0;
    const factor = floor ? floor.factor : 1;
    const min = floor ? floor.min : -Infinity;
    const b = list.bytes;
    const length = list.length;
    let doc = cursor.doc;
    let freq = cursor.freq;
    let pos = cursor.pos;
    let c = count;
    while (doc <= end) {
      if (live[doc]) {
        const len = lengths[doc];
        const norm = len < 4096 ? normMemo![len] : lengthToNorm(len);
        let s: number;
        if (freq === 1) s = scoreOfFreq1[norm];
        else if (freq >= 64) s = bm25(weight, freq, cache[norm]);
        else {
          const at = (freq << 8) | norm;
          s = scoreTable[at];
          if (s !== s) s = scoreTable[at] = bm25(weight, freq, cache[norm]);
        }
        if ((s + extra) * factor > min) {
          const off = doc - start;
          scores[base + off] = s;
          if (seen[off] === 0) {
            seen[off] = 1;
            offsets[c++] = off;
          }
        }
      }
      if (pos < length) {
        let byte = b[pos++];
        let v = byte & 0x7f;
        if (byte & 0x80) {
          let shift = 128;
          do {
            byte = b[pos++];
            v += (byte & 0x7f) * shift;
            shift *= 128;
          } while (byte & 0x80);
        }
        doc += Math.floor(v / 2);
        if (v & 1) freq = 1;
        else {
          byte = b[pos++];
          freq = byte & 0x7f;
          let shift = 128;
          while (byte & 0x80) {
            byte = b[pos++];
            freq += (byte & 0x7f) * shift;
            shift *= 128;
          }
        }
      } else if (!cursor.pendingRead && list.pendingDoc >= 0) {
        cursor.pendingRead = true;
        freq = list.pendingFreq;
        doc = list.pendingDoc;
      } else doc = 0x7fffffff;
    }
    cursor.pos = pos;
    cursor.doc = doc;
    cursor.freq = freq;
    let d = this.cursor.doc;
    while (d !== 0x7fffffff && !live[d]) d = this.cursor.next();
    this.doc = d;
    return c;
  }

  /** The block holding the first posting at or after `target` (-1: none), without moving. */
  blockFor(target: number): number {
    return this.cursor.blockFor(target);
  }

  blockFirst(b: number): number {
    return this.cursor.blockFirst(b);
  }

  blockLast(b: number): number {
    return this.cursor.blockLast(b);
  }

  nextBlock(b: number): number {
    return this.cursor.nextBlock(b);
  }

  /** No score in block `b` is higher: BM25 grows with frequency and shrinks with field length. */
  blockBound(b: number): number {
    const tail = b === this.list.blockCount;
    if (!tail) {
      this.blockBounds ??= new Float64Array(this.list.blockCount).fill(-1);
      if (this.blockBounds[b] >= 0) return this.blockBounds[b];
    }
    const bound = bm25(this.weight, this.cursor.blockMaxFreq(b), this.cache[lengthNorm(this.cursor.blockMinLength(b))]);
    if (!tail) this.blockBounds![b] = bound;
    return bound;
  }
}

/** A materialised DocSet as a scorer. */
export class DocSetScorer implements Scorer {
  doc = -1;
  private i = -1;
  readonly cost: number;

  constructor(private readonly set: DocSet) {
    this.cost = set.docs.length;
  }

  next(): number {
    const docs = this.set.docs;
    return (this.doc = ++this.i < docs.length ? docs[this.i] : 0x7fffffff);
  }

  advance(target: number): number {
    if (this.doc >= target) return this.doc;
    const docs = this.set.docs;
    let lo = this.i + 1;
    let hi = docs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (docs[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    this.i = lo;
    return (this.doc = lo < docs.length ? docs[lo] : 0x7fffffff);
  }

  score(): number {
    return this.set.scores[this.i];
  }
}
