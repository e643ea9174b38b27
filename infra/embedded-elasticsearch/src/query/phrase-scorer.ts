import { PostingCursor } from '../index/posting-cursor';
import type { PostingList } from '../index/posting-list';
import type { DocIterator, Scorer, TwoPhase } from './scorer';

/** NO_MORE_DOCS (a local constant: imported bindings are getters under the CommonJS transform). */
const NO_MORE_DOCS = 0x7fffffff;

/**
 * A phrase, document at a time, in two phases (as Lucene's ExactPhraseMatcher under a TwoPhaseIterator): the
 * approximation is the conjunction of the terms' postings (live documents holding every term, led by the rarest
 * term, the others advanced through their skip data); the confirmation counts the phrase's occurrences (`phraseFreq`,
 * positions read from the document). Alone it confirms every candidate; inside a conjunction only those every other
 * clause accepts. With a minimum competitive score, a candidate whose score cannot beat it even if the phrase
 * occurred as often as its rarest term is skipped unconfirmed (the phrase frequency is at most any term's).
 */
export class PhraseScorer implements Scorer {
  doc = -1;
  readonly cost: number;
  /** Phrase occurrences in `doc`: -1 not yet counted, 0 no match. */
  private freq = -1;
  private readonly lead: PostingCursor;
  private readonly others: PostingCursor[];
  private readonly cursors: PostingCursor[];
  private minCompetitive = -Infinity;

  constructor(
    lists: PostingList[],
    private readonly live: Uint8Array,
    private readonly phraseFreq: (doc: number) => number,
    /** The BM25 score of `freq` occurrences in `doc`, the arithmetic of `PhraseQuery.execute`. */
    private readonly scoreOf: (freq: number, doc: number) => number,
  ) {
    this.cursors = [...lists].sort((a, b) => a.size - b.size).map((l) => new PostingCursor(l));
    this.lead = this.cursors[0];
    this.others = this.cursors.slice(1);
    this.cost = this.lead === undefined ? 0 : lists.reduce((m, l) => Math.min(m, l.size), Infinity);
  }

  twoPhase(): TwoPhase {
    const approximation: DocIterator = {
      cost: this.cost,
      next: () => this.approximateAdvance(this.doc + 1),
      advance: (target) => this.approximateAdvance(target),
    };
    return { approximation, matches: () => this.matches() };
  }

  next(): number {
    return this.confirmFrom(this.approximateAdvance(this.doc + 1));
  }

  advance(target: number): number {
    return this.confirmFrom(this.approximateAdvance(target));
  }

  score(): number {
    return this.scoreOf(this.freq, this.doc);
  }

  setMinCompetitiveScore(score: number): void {
    if (score > this.minCompetitive) this.minCompetitive = score;
  }

  /** Counts the phrase in the current candidate. */
  private matches(): boolean {
    if (this.freq < 0) this.freq = this.phraseFreq(this.doc);
    return this.freq > 0;
  }

  /** The first confirmed (and competitive) match at or after the candidate `doc`. */
  private confirmFrom(start: number): number {
    let doc = start;
    while (doc !== NO_MORE_DOCS) {
      if (this.competitive() && this.matches()) return doc;
      doc = this.approximateAdvance(doc + 1);
    }
    return doc;
  }

  /** Whether the current candidate could score above the minimum competitive score. */
  private competitive(): boolean {
    if (this.minCompetitive === -Infinity) return true;
    let bound = this.lead.freq;
    for (const c of this.others) if (c.freq < bound) bound = c.freq;
    return this.scoreOf(bound, this.doc) > this.minCompetitive;
  }

  /** The first live document at or after `target` holding every term (no move when already there). */
  private approximateAdvance(target: number): number {
    if (this.doc >= target || this.doc === NO_MORE_DOCS) return this.doc;
    const { lead, others, live } = this;
    if (lead === undefined) return (this.doc = NO_MORE_DOCS);
    let doc = lead.advance(target);
    outer: while (doc !== NO_MORE_DOCS) {
      if (!live[doc]) {
        doc = lead.next();
        continue;
      }
      for (const o of others) {
        const d = o.advance(doc);
        if (d > doc) {
          doc = lead.advance(d);
          continue outer;
        }
      }
      break;
    }
    this.freq = -1;
    return (this.doc = doc);
  }
}
