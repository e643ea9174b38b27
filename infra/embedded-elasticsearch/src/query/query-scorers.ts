import { MaxScoreScorer } from './max-score-scorer';
import type { Query, SearchContext } from './query';
import { DocSetScorer, type Scorer } from './scorer';

/** The query's own scorer, else its disjunction tree, else undefined (iterate `execute`'s DocSet). */
export function iteratingScorer(q: Query, ctx: SearchContext): Scorer | undefined {
  const own = q.scorer?.(ctx);
  if (own) return own;
  const tree = q.scoreTree?.(ctx);
  return tree ? new MaxScoreScorer(tree) : undefined;
}

/** A scorer for any query (materialising it when it has nothing better). */
export function scorerOf(q: Query, ctx: SearchContext): Scorer {
  return iteratingScorer(q, ctx) ?? new DocSetScorer(q.execute(ctx));
}
