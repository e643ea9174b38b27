import { MaxScoreScorer } from './max-score-scorer';
import type { Query, SearchContext } from './query';
import { DocSetScorer, type Scorer } from './scorer';

/**
 * The query's disjunction tree of term leaves (pruned by MaxScore), else its own scorer, else undefined (iterate
 * `execute`'s DocSet).
 */
export function iteratingScorer(q: Query, ctx: SearchContext): Scorer | undefined {
  const tree = q.scoreTree?.(ctx);
  if (tree) return new MaxScoreScorer(tree);
  return q.scorer?.(ctx);
}

/** A scorer for any query (materialising it when it has nothing better). */
export function scorerOf(q: Query, ctx: SearchContext): Scorer {
  return iteratingScorer(q, ctx) ?? new DocSetScorer(q.execute(ctx));
}
