/** One token as Lucene's analysis chain produces it: the term, its position and its character offsets in the input. */
export interface Token {
  term: string;
  position: number;
  start: number;
  end: number;
  /** Script class of the token, used by the cjk bigram filter (as Lucene's token types <IDEOGRAPHIC>, <HANGUL>, ...). */
  type: TokenType;
}

export type TokenType = 'word' | 'num' | 'han' | 'hiragana' | 'katakana' | 'hangul';

/**
 * An analysis chain. `terms`, when present, is a faster path giving only the terms (for indexing, which needs no
 * positions or offsets); it must equal `analyzer(text).map((t) => t.term)`.
 */
export type Analyzer = ((text: string) => Token[]) & { terms?: (text: string) => string[] };

export const CJK_TYPES: ReadonlySet<TokenType> = new Set(['han', 'hiragana', 'katakana', 'hangul']);
