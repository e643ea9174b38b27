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
  for (const t of tokens) t.term = foldWidth(t.term);
  return tokens;
};

const WIDTH_VARIANT = /[\uff01-\uff5e\uff61-\uff9f]/;
const WIDTH_VARIANTS = /[\uff01-\uff5e\uff61-\uff9f]+/g;
const nfkc = (run: string) => run.normalize('NFKC');

/** One term through cjk_width. */
export function foldWidth(term: string): string {
  return WIDTH_VARIANT.test(term) ? term.replace(WIDTH_VARIANTS, nfkc) : term;
}

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

/**
 * The terms of cjk_width, lowercase, cjk_bigram and a stop filter over the standard tokenizer's `tokens`, as the
 * built-in `cjk` analyzer gives them (`cjk(text).map((t) => t.term)`), for indexing: the tokens are only read (the
 * `standard` field analyses the same tokens), and no Token object is made per bigram. A spec checks it equals the
 * token filters.
 */
export function cjkTerms(tokens: readonly Token[], stop: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const run: string[] = [];
  let lastEnd = -1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const term = foldWidth(t.term).toLowerCase();
    if (!CJK_TYPES.has(t.type)) {
      pushGrams(run, out, stop);
      if (!stop.has(term)) out.push(term);
      lastEnd = -1;
      continue;
    }
    if (t.start !== lastEnd) pushGrams(run, out, stop);
    for (const ch of term) run.push(ch);
    lastEnd = t.end;
  }
  pushGrams(run, out, stop);
  return out;
}

/** A run of adjacent CJK characters as cjk_bigram emits it (overlapping bigrams, or the lone character); empties `run`. */
function pushGrams(run: string[], out: string[], stop: ReadonlySet<string>): void {
  if (run.length === 1 && !stop.has(run[0] as string)) out.push(run[0] as string);
  for (let i = 0; i + 1 < run.length; i++) {
    const gram = (run[i] as string) + (run[i + 1] as string);
    if (!stop.has(gram)) out.push(gram);
  }
  run.length = 0;
}
