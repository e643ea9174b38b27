import { CJK_TYPES, type Token } from './token';

/** The `_english_` stop set, which the `cjk` analyzer uses by default. */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'if', 'in', 'into', 'is', 'it', 'no', 'not', 'of',
  'on', 'or', 'such', 'that', 'the', 'their', 'then', 'there', 'these', 'they', 'this', 'to', 'was', 'will', 'with',
]);

/** The stop set of the built-in `cjk` analyzer (Lucene's CJKAnalyzer default). */
export const CJK_STOP_WORDS: ReadonlySet<string> = new Set([
  'a', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'if', 'in', 'into', 'is', 'it', 'no', 'not', 'of', 'on',
  'or', 's', 'such', 't', 'that', 'the', 'their', 'then', 'there', 'these', 'they', 'this', 'to', 'was', 'will',
  'with', 'www',
]);

export type TokenFilter = (tokens: Token[]) => Token[];

export const lowercase: TokenFilter = (tokens) => {
  for (const t of tokens) t.term = t.term.toLowerCase();
  return tokens;
};

/** Removes stop words; positions keep their gaps, as Lucene's StopFilter leaves position increments. */
export function stopFilter(words: ReadonlySet<string>): TokenFilter {
  return (tokens) => tokens.filter((t) => !words.has(t.term));
}

/** cjk_width: full-width ASCII variants to basic Latin, half-width Katakana to full-width (NFKC on those ranges). */
export const cjkWidth: TokenFilter = (tokens) => {
  for (const t of tokens) {
    if (/[\uff01-\uff5e\uff61-\uff9f]/.test(t.term)) {
      t.term = t.term.replace(/[\uff01-\uff5e\uff61-\uff9f]+/g, (run) => run.normalize('NFKC'));
    }
  }
  return tokens;
};

/**
 * cjk_bigram: Han, Hiragana, Katakana and Hangul characters of adjacent tokens (no gap in offsets) form overlapping
 * bigrams; a CJK character with no CJK neighbour is emitted alone (unigram). Other tokens pass through.
 */
export const cjkBigram: TokenFilter = (tokens) => {
  const out: Token[] = [];
  let run: Array<{ ch: string; start: number; end: number }> = [];
  let lastEnd = -1;
  let position = 0;
  const flush = () => {
    if (run.length === 1) {
      out.push({ term: run[0].ch, position: position++, start: run[0].start, end: run[0].end, type: 'han' });
    }
    for (let i = 0; i + 1 < run.length; i++) {
      out.push({ term: run[i].ch + run[i + 1].ch, position: position++, start: run[i].start, end: run[i + 1].end, type: 'han' });
    }
    run = [];
  };
  for (const t of tokens) {
    if (!CJK_TYPES.has(t.type)) {
      flush();
      out.push({ ...t, position: position++ });
      lastEnd = -1;
      continue;
    }
    if (t.start !== lastEnd) flush();
    let offset = t.start;
    for (const ch of t.term) {
      run.push({ ch, start: offset, end: offset + ch.length });
      offset += ch.length;
    }
    lastEnd = t.end;
  }
  flush();
  return out;
};
