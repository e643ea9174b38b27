import { EsError } from '../http/es-error';
import { BoolQuery, DisMaxQuery } from './bool-query';
import type { DocSet } from './doc-set';
import { MatchAllQuery, MatchNoneQuery, PrefixQuery, TermQuery } from './leaf-queries';
import type { HighlightTerms, Query, SearchContext } from './query';
import { PhraseQuery, analyzeQuery, parseFields, type FieldBoost } from './text-queries';

type Occur = 'must' | 'should';
type Node =
  | { kind: 'term'; text: string }
  | { kind: 'phrase'; text: string }
  | { kind: 'prefix'; text: string }
  | { kind: 'not'; node: Node }
  | { kind: 'group'; occur: Occur; clauses: Node[] };

/**
 * The `simple_query_string` syntax as Lucene's SimpleQueryParser reads it: terms joined by the default operator,
 * `+` (AND), `|` (OR), `-` (NOT: everything except), `"phrases"`, `prefix*`, `( )` and `\` escapes. Operators
 * group left to right. Fuzzy and slop suffixes (`~N`) answer 400.
 */
export function parseSqs(text: string, defaultOccur: Occur): Node | null {
  let pos = 0;
  const parse = (nested: boolean): Node | null => {
    let top: Node | null = null;
    let current: Occur | null = null;
    let previous: Occur | null = null;
    let not = 0;
    const add = (branch: Node | null) => {
      if (branch) {
        if (not % 2 === 1) branch = { kind: 'not', node: branch };
        if (!top) top = branch;
        else {
          const op = current ?? defaultOccur;
          if (previous !== op || top.kind !== 'group') top = { kind: 'group', occur: op, clauses: [top] };
          (top as { clauses: Node[] }).clauses.push(branch);
          previous = op;
        }
      }
      not = 0;
      current = null;
    };
    while (pos < text.length) {
      const c = text[pos];
      if (c === '(') {
        pos++;
        add(parse(true));
      } else if (c === ')') {
        pos++;
        if (nested) return top;
      } else if (c === '"') {
        const end = text.indexOf('"', pos + 1);
        const phrase = text.slice(pos + 1, end < 0 ? text.length : end);
        pos = end < 0 ? text.length : end + 1;
        if (text[pos] === '~') throw EsError.unsupported('[simple_query_string] phrase slop (~N)');
        add({ kind: 'phrase', text: phrase });
      } else if (c === '+') {
        current = 'must';
        pos++;
      } else if (c === '|') {
        current = 'should';
        pos++;
      } else if (c === '-') {
        not++;
        pos++;
      } else if (/\s/.test(c)) {
        pos++;
      } else {
        let term = '';
        while (pos < text.length && !/[\s()"|+]/.test(text[pos])) {
          if (text[pos] === '\\' && pos + 1 < text.length) pos++;
          else if (text[pos] === '~') throw EsError.unsupported('[simple_query_string] fuzzy terms (~N)');
          term += text[pos++];
        }
        if (term.endsWith('*') && !term.endsWith('\\*')) add({ kind: 'prefix', text: term.slice(0, -1) });
        else add({ kind: 'term', text: term });
      }
    }
    return top;
  };
  return parse(false);
}

class SimpleQueryStringQuery implements Query {
  constructor(
    private readonly node: Node | null,
    private readonly fields: FieldBoost[] | undefined,
    private readonly defaultOccur: Occur,
    private readonly analyzer: string | undefined,
    private readonly boost: number,
  ) {}

  private build(ctx: SearchContext): Query {
    if (!this.node) return new MatchNoneQuery();
    const fields = this.fields ?? [...ctx.mappings.fields.values()].filter((f) => f.type === 'text').map((f) => ({ field: f.path, boost: 1 }));
    const perField = (make: (f: FieldBoost) => Query) => new DisMaxQuery(fields.map(make), 1);
    const toQuery = (n: Node): Query => {
      switch (n.kind) {
        case 'term':
          return perField((f) => {
            const tokens = analyzeQuery(ctx, f.field, n.text, this.analyzer);
            if (tokens.length === 0) return new MatchNoneQuery();
            if (tokens.length === 1) return new TermQuery(f.field, tokens[0].term, f.boost);
            const terms = tokens.map((t) => new TermQuery(f.field, t.term));
            return new BoolQuery({ must: this.defaultOccur === 'must' ? terms : [], should: this.defaultOccur === 'should' ? terms : [], filter: [], mustNot: [], boost: f.boost });
          });
        case 'phrase':
          return perField((f) => new PhraseQuery(f.field, n.text, f.boost, this.analyzer));
        case 'prefix':
          return perField((f) => new PrefixQuery(f.field, ctx.mappings.fields.get(f.field)?.type === 'text' ? n.text.toLowerCase() : n.text, f.boost));
        case 'not':
          return new BoolQuery({ must: [], should: [new MatchAllQuery()], filter: [], mustNot: [toQuery(n.node)] });
        case 'group': {
          const clauses = n.clauses.map(toQuery);
          return new BoolQuery({ must: n.occur === 'must' ? clauses : [], should: n.occur === 'should' ? clauses : [], filter: [], mustNot: [] });
        }
      }
    };
    return new BoolQuery({ must: [toQuery(this.node)], should: [], filter: [], mustNot: [], boost: this.boost });
  }

  execute(ctx: SearchContext): DocSet {
    return this.build(ctx).execute(ctx);
  }

  collectHighlightTerms(out: HighlightTerms, ctx: SearchContext): void {
    this.build(ctx).collectHighlightTerms?.(out, ctx);
  }
}

export function parseSimpleQueryString(o: Record<string, unknown>): Query {
  const allowed = ['query', 'fields', 'default_operator', 'analyzer', 'boost', '_name', 'auto_generate_synonyms_phrase_query', 'analyze_wildcard', 'lenient'];
  for (const key of Object.keys(o)) {
    if (key === 'flags' && ['ALL', undefined].includes(o.flags as string)) continue;
    if (!allowed.includes(key)) {
      if (['flags', 'minimum_should_match', 'quote_field_suffix', 'fuzzy_max_expansions', 'fuzzy_prefix_length', 'fuzzy_transpositions'].includes(key)) {
        throw EsError.unsupported(`[simple_query_string] parameter [${key}]`);
      }
      throw EsError.parsing(`[simple_query_string] unsupported field [${key}]`);
    }
  }
  if (typeof o.query !== 'string') throw EsError.parsing('[simple_query_string] requires query value');
  const occur: Occur = String(o.default_operator ?? 'or').toLowerCase() === 'and' ? 'must' : 'should';
  return new SimpleQueryStringQuery(
    parseSqs(o.query, occur),
    o.fields === undefined ? undefined : parseFields(o.fields),
    occur,
    o.analyzer as string | undefined,
    o.boost === undefined ? 1 : Number(o.boost),
  );
}
