import { EsError } from '../http/es-error';
import { standardTermsAscii, standardTokenize } from './standard-tokenizer';
import type { Analyzer, Token } from './token';
import { CJK_STOP_WORDS, ENGLISH_STOP_WORDS, cjkBigram, cjkTerms, cjkWidth, lowercase, stopFilter, type TokenFilter } from './token-filters';

const keywordTokenize = (text: string): Token[] => [{ term: text, position: 0, start: 0, end: text.length, type: 'word' }];

const whitespaceTokenize = (text: string): Token[] => {
  const tokens: Token[] = [];
  for (const m of text.matchAll(/\S+/g)) {
    tokens.push({ term: m[0], position: tokens.length, start: m.index, end: m.index + m[0].length, type: 'word' });
  }
  return tokens;
};

const TOKENIZERS: Record<string, (text: string) => Token[]> = {
  standard: standardTokenize,
  keyword: keywordTokenize,
  whitespace: whitespaceTokenize,
};

function chain(tokenize: (text: string) => Token[], filters: TokenFilter[]): Analyzer {
  return (text) => filters.reduce((tokens, f) => f(tokens), tokenize(text));
}

function withTerms(analyzer: Analyzer, fast: (text: string) => string[] | undefined): Analyzer {
  analyzer.terms = (text) => fast(text) ?? analyzer(text).map((t) => t.term);
  return analyzer;
}

/**
 * The standard terms of the last ASCII text analysed: a text field and its `cjk` sub-field analyse the same string
 * one after the other, and on ASCII text the cjk terms are the standard terms minus stop words. Callers never
 * modify a returned term array.
 */
let lastText: string | undefined;
let lastTerms: string[] | undefined;
function asciiTerms(text: string): string[] | undefined {
  if (text !== lastText) {
    lastTerms = standardTermsAscii(text);
    lastText = text;
  }
  return lastTerms;
}

/**
 * The standard tokenizer's tokens of the last other text analysed for indexing, shared the same way: the `standard`
 * field lowercases their terms, its `cjk` sub-field derives its bigrams from them (`cjkTerms`), so the text is
 * tokenized once. Never modified (the token filters, which modify tokens, run only on fresh ones).
 */
let lastTokenText: string | undefined;
let lastTokens: readonly Token[] = [];
function sharedTokens(text: string): readonly Token[] {
  if (text !== lastTokenText) {
    lastTokens = standardTokenize(text);
    lastTokenText = text;
  }
  return lastTokens;
}

function lowercaseTerms(tokens: readonly Token[]): string[] {
  const terms = new Array<string>(tokens.length);
  for (let i = 0; i < tokens.length; i++) terms[i] = (tokens[i] as Token).term.toLowerCase();
  return terms;
}

export const BUILTIN_ANALYZERS: Record<string, Analyzer> = {
  standard: withTerms(chain(standardTokenize, [lowercase]), (text) => asciiTerms(text) ?? lowercaseTerms(sharedTokens(text))),
  whitespace: whitespaceTokenize,
  keyword: withTerms(keywordTokenize, (text) => [text]),
  // On ASCII text the cjk analyzer's width and bigram filters change nothing: standard terms minus stop words.
  cjk: withTerms(chain(standardTokenize, [cjkWidth, lowercase, cjkBigram, stopFilter(CJK_STOP_WORDS)]), (text) =>
    asciiTerms(text)?.filter((t) => !CJK_STOP_WORDS.has(t)) ?? cjkTerms(sharedTokens(text), CJK_STOP_WORDS),
  ),
};

function filterByName(name: string, custom: Record<string, Record<string, unknown>>): TokenFilter {
  switch (name) {
    case 'lowercase':
      return lowercase;
    case 'cjk_width':
      return cjkWidth;
    case 'cjk_bigram':
      return cjkBigram;
    case 'stop':
      return stopFilter(ENGLISH_STOP_WORDS);
  }
  const def = custom[name];
  if (def && def.type === 'stop') {
    const words = def.stopwords;
    if (words === '_english_' || words === undefined) return stopFilter(ENGLISH_STOP_WORDS);
    if (words === '_none_') return (t) => t;
    if (Array.isArray(words)) return stopFilter(new Set(words.map((w) => String(w).toLowerCase())));
  }
  throw EsError.unsupported(`token filter [${name}]${def ? ` of type [${String(def.type)}]` : ''}`);
}

/** Builds the analyzers of one index from its `analysis` settings (custom analyzers over the supported parts). */
export function buildAnalyzers(analysis: Record<string, unknown> | undefined): Map<string, Analyzer> {
  const result = new Map(Object.entries(BUILTIN_ANALYZERS));
  if (!analysis) return result;
  for (const key of Object.keys(analysis)) {
    if (!['analyzer', 'filter'].includes(key)) throw EsError.unsupported(`analysis component [${key}]`);
  }
  const filters = (analysis.filter ?? {}) as Record<string, Record<string, unknown>>;
  const analyzers = (analysis.analyzer ?? {}) as Record<string, Record<string, unknown>>;
  for (const [name, def] of Object.entries(analyzers)) {
    const type = def.type ?? 'custom';
    if (type !== 'custom') {
      const builtin = BUILTIN_ANALYZERS[String(type)];
      if (!builtin || Object.keys(def).some((k) => k !== 'type')) throw EsError.unsupported(`analyzer [${name}] of type [${String(type)}] with options`);
      result.set(name, builtin);
      continue;
    }
    const tokenizer = TOKENIZERS[String(def.tokenizer)];
    if (!tokenizer) throw EsError.unsupported(`tokenizer [${String(def.tokenizer)}] in analyzer [${name}]`);
    if (def.char_filter !== undefined) throw EsError.unsupported(`char_filter in analyzer [${name}]`);
    const chainFilters = ((def.filter as string[] | undefined) ?? []).map((f) => filterByName(f, filters));
    result.set(name, chain(tokenizer, chainFilters));
  }
  return result;
}
