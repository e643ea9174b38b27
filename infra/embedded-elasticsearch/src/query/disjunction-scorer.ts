import { phasesOf, type DocIterator, type Scorer, type TwoPhase } from './scorer';

/** NO_MORE_DOCS (a local constant: imported bindings are getters under the CommonJS transform). */
const NO_MORE_DOCS = 0x7fffffff;

export type DisjunctionMode = { kind: 'sum' } | { kind: 'max'; tieBreaker: number };

/**
 * A disjunction of any scorers, document at a time (for `dis_max` and should-only `bool` whose clauses are not all
 * term leaves, e.g. phrases): the documents any clause matches. Clauses with two phases keep them: the
 * disjunction's approximation is the union of the clauses' approximations and a document is confirmed when one of
 * its clauses confirms it, so inside a conjunction led by a cheaper clause no phrase is confirmed in vain. Scores
 * combine as `union` does for `Query.execute`: matching clauses in clause order, summed from 0 (`sum`) or the
 * maximum plus tie_breaker times the rest (`max`), then times the boost when it is not 1.
 */
export class DisjunctionScorer implements Scorer {
  doc = -1;
  readonly cost: number;
  private readonly iterators: DocIterator[];
  private readonly confirms: Array<(() => boolean) | undefined>;
  /** Each clause's current document (its approximation's). */
  private readonly docs: Int32Array;
  /** Per clause: 1 when it matches `doc` (confirmed), 0 not, -1 not yet known. */
  private readonly matched: Int8Array;
  private confirmed = false;

  constructor(private readonly clauses: Scorer[], private readonly mode: DisjunctionMode, private readonly boost: number) {
    const phases = clauses.map(phasesOf);
    this.iterators = phases.map((p) => p.iterator);
    this.confirms = phases.map((p) => p.matches);
    this.docs = new Int32Array(clauses.length).fill(-1);
    this.matched = new Int8Array(clauses.length);
    this.cost = this.iterators.reduce((c, it) => c + it.cost, 0);
  }

  twoPhase(): TwoPhase | undefined {
    if (this.confirms.every((c) => c === undefined)) return undefined;
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
    const { clauses, docs, matched, doc } = this;
    let sum = 0;
    let max = 0;
    let count = 0;
    for (let i = 0; i < clauses.length; i++) {
      if (docs[i] !== doc || matched[i] !== 1) continue;
      const x = clauses[i].score();
      sum += x;
      if (count === 0 || x > max) max = x;
      count++;
    }
    const r = this.mode.kind === 'sum' ? sum : max + this.mode.tieBreaker * (sum - max);
    return this.boost !== 1 ? r * this.boost : r;
  }

  /** Confirms, for every clause on the current candidate, whether it matches; true when one does. */
  private matches(): boolean {
    if (this.confirmed) return true;
    const { docs, matched, confirms, doc } = this;
    let any = false;
    for (let i = 0; i < docs.length; i++) {
      if (docs[i] !== doc) continue;
      if (matched[i] < 0) {
        const confirm = confirms[i];
        matched[i] = confirm === undefined || confirm() ? 1 : 0;
      }
      if (matched[i] === 1) any = true;
    }
    this.confirmed = any;
    return any;
  }

  private confirmFrom(start: number): number {
    let doc = start;
    while (doc !== NO_MORE_DOCS && !this.matches()) doc = this.approximateAdvance(doc + 1);
    return doc;
  }

  /** The first candidate at or after `target` (no move when already there). */
  private approximateAdvance(target: number): number {
    if (this.doc >= target || this.doc === NO_MORE_DOCS) return this.doc;
    const { docs, iterators, matched } = this;
    let min = NO_MORE_DOCS;
    for (let i = 0; i < docs.length; i++) {
      if (docs[i] < target) {
        docs[i] = iterators[i].advance(target);
        matched[i] = -1;
      }
      if (docs[i] < min) min = docs[i];
    }
    this.confirmed = false;
    return (this.doc = min);
  }
}
