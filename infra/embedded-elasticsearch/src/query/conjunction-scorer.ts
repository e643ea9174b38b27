import { phasesOf, type DocIterator, type Scorer } from './scorer';

/** NO_MORE_DOCS (a local constant: imported bindings are getters under the CommonJS transform). */
const NO_MORE_DOCS = 0x7fffffff;

/** A per-document test of a filter (`wanted` true) or a must_not clause (`wanted` false). */
export interface DocTest {
  test: (doc: number) => boolean;
  wanted: boolean;
}

/**
 * A `bool` with required clauses: led by the cheapest iterator (fewest matches), the others advanced to each of its
 * documents (skipping through their skip data), then per-document tests and exclusions, and last the confirmation of
 * clauses with two phases (phrases: positions), so only documents every cheaper check accepts are confirmed. The
 * score is the sum of the `must` scores in clause order (filters score nothing), times the boost: exactly what
 * `BoolQuery.execute` computes.
 */
export class ConjunctionScorer implements Scorer {
  doc = -1;
  readonly cost: number;
  private readonly lead: DocIterator;
  private readonly others: DocIterator[];
  private readonly confirms: Array<() => boolean>;
  private readonly excluded: Array<{ iterator: DocIterator; matches: (() => boolean) | undefined }>;

  constructor(
    private readonly scoring: Scorer[],
    required: Scorer[],
    private readonly tests: DocTest[],
    excluded: Scorer[],
    private readonly boost: number,
  ) {
    const phases = required.map(phasesOf);
    const byCost = phases.map((p) => p.iterator).sort((a, b) => a.cost - b.cost);
    this.lead = byCost[0];
    this.others = byCost.slice(1);
    this.confirms = phases.flatMap((p) => (p.matches ? [p.matches] : []));
    this.excluded = excluded.map(phasesOf);
    this.cost = this.lead.cost;
  }

  next(): number {
    return this.align(this.lead.next());
  }

  advance(target: number): number {
    if (this.doc >= target) return this.doc;
    return this.align(this.lead.advance(target));
  }

  private align(start: number): number {
    let doc = start;
    outer: while (doc !== NO_MORE_DOCS) {
      for (const o of this.others) {
        const d = o.advance(doc);
        if (d > doc) {
          doc = this.lead.advance(d);
          continue outer;
        }
      }
      for (const t of this.tests) {
        if (t.test(doc) !== t.wanted) {
          doc = this.lead.next();
          continue outer;
        }
      }
      for (const e of this.excluded) {
        if (e.iterator.advance(doc) === doc && (e.matches === undefined || e.matches())) {
          doc = this.lead.next();
          continue outer;
        }
      }
      for (const confirm of this.confirms) {
        if (!confirm()) {
          doc = this.lead.next();
          continue outer;
        }
      }
      break;
    }
    return (this.doc = doc);
  }

  score(): number {
    const s = this.scoring;
    if (s.length === 0) return 0;
    let acc = s[0].score();
    for (let i = 1; i < s.length; i++) acc = acc + s[i].score();
    return this.boost !== 1 ? acc * this.boost : acc;
  }
}
