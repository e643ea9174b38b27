import type { Analyzer } from '../analysis/token';
import type { FieldMapping, Mappings } from '../index/mapping';
import type { SearchableView } from '../index/searchable-view';
import { arena } from './arena';
import type { DocSet } from './doc-set';
import type { ScoreNode } from './max-score-scorer';
import type { Scorer } from './scorer';

/** What a query runs against: one index's searchable view, its mappings and analyzers. */
export interface SearchContext {
  view: SearchableView;
  mappings: Mappings;
  analyzers: Map<string, Analyzer>;
  indexName: string;
}

/** Terms and phrases a query matched per field, for highlighting. */
export interface HighlightTerms {
  terms: Map<string, Set<string>>;
  phrases: Map<string, string[][]>;
  prefixes: Map<string, string[]>;
}

export interface Query {
  /** The live documents that match, in ascending doc order, with their scores. */
  execute(ctx: SearchContext): DocSet;
  /** Cheap per-document test, when the query can answer without scanning (used for filters on few candidates). */
  test?(ctx: SearchContext, doc: number): boolean;
  collectHighlightTerms?(out: HighlightTerms, ctx: SearchContext): void;
  /** The query as a tree of text-term leaves, when it is a pure disjunction of them (for top-k pruning). */
  scoreTree?(ctx: SearchContext): ScoreNode | undefined;
  /** A document-at-a-time scorer, when the query has one better than iterating its materialised DocSet. */
  scorer?(ctx: SearchContext): Scorer | undefined;
  /** Whether `execute` is an index lookup (cheap, few docs) rather than a scan: such filters lead conjunctions. */
  indexed?(ctx: SearchContext): boolean;
}

export function fieldOf(ctx: SearchContext, path: string): FieldMapping | undefined {
  return ctx.mappings.fields.get(path);
}

export function liveDocs(ctx: SearchContext): Int32Array {
  const { view } = ctx;
  const docs = arena.int32(view.numDocs);
  let k = 0;
  for (let d = 0; d < view.maxDoc; d++) if (view.live[d]) docs[k++] = d;
  return docs.subarray(0, k);
}

export function addHighlightTerm(out: HighlightTerms, field: string, term: string): void {
  let set = out.terms.get(field);
  if (!set) out.terms.set(field, (set = new Set()));
  set.add(term);
}
