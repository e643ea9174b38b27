import type { Token, TokenType } from './token';

/**
 * Lucene's StandardTokenizer: word boundaries of Unicode UAX #29, emitting only word-like segments. Two departures from
 * plain UAX #29 make it match Lucene rather than ICU's dictionary segmentation: every Han ideograph and every Hiragana
 * character is its own token, and a Katakana run is split from neighbouring Han/Hiragana. Tokens longer than
 * `maxTokenLength` (255) are split, as Lucene does.
 *
 * Pure-ASCII input (and the pure-ASCII words of other text) takes a hand-written path implementing the same UAX #29
 * rules for ASCII (a spec checks both paths agree), because `Intl.Segmenter` is the bottleneck when bulk-indexing.
 */
const MAX_TOKEN_LENGTH = 255;
const segmenter = new Intl.Segmenter('und', { granularity: 'word' });

const HAN = /\p{Script=Han}/u;
const HIRAGANA = /\p{Script=Hiragana}/u;
const KATAKANA = /[\p{Script=Katakana}\u30fc\uff70]/u;
const HANGUL = /\p{Script=Hangul}/u;
const NON_ASCII = /[\u0080-\uffff]/;
/**
 * Only CJK Unified Ideographs (and Extension A; every code point of both blocks is an assigned Han ideograph) and
 * ASCII whitespace: each ideograph is a token of its own, which is what segmenting and splitting would give.
 */
const IDEOGRAPHS_ONLY = /^[\u3400-\u4dbf\u4e00-\u9fff\t\n\v\f\r ]+$/;
/** Connector punctuation alone is not a word in Lucene's grammar (it only joins letters and digits). */
const ONLY_UNDERSCORES = /^_+$/;

export function standardTokenize(text: string): Token[] {
  return NON_ASCII.test(text) ? unicodeTokenize(text) : asciiTokenize(text);
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}
const isLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isDigit = (c: number) => c >= 48 && c <= 57;
/** MidLetter (`:`) and MidNumLetQ (`.` and `'`) join letters; MidNum (`,` `;`) and MidNumLetQ join digits. */
const joinsLetters = (c: number) => c === 58 || c === 46 || c === 39;
const joinsDigits = (c: number) => c === 44 || c === 59 || c === 46 || c === 39;

/** UAX #29 word boundaries for ASCII text: calls `emit(start, end, numeric)` for every word. */
function scanAscii(text: string, emit: (start: number, end: number, numeric: boolean) => void): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!isWordChar(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    let numeric = true;
    let underscoresOnly = true;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (isWordChar(c)) {
        if (!isDigit(c)) numeric = false;
        if (c !== 95) underscoresOnly = false;
        i++;
        continue;
      }
      const prev = text.charCodeAt(i - 1);
      const next = i + 1 < n ? text.charCodeAt(i + 1) : -1;
      if ((isLetter(prev) && isLetter(next) && joinsLetters(c)) || (isDigit(prev) && isDigit(next) && joinsDigits(c))) {
        i += 2;
        underscoresOnly = false;
        continue;
      }
      break;
    }
    // Connector punctuation alone is not a word in Lucene's grammar (it only joins letters and digits).
    if (!underscoresOnly) emit(start, i, numeric);
  }
}

function asciiTokenize(text: string): Token[] {
  const tokens: Token[] = [];
  scanAscii(text, (start, end, numeric) => pushSplit(tokens, text.slice(start, end), start, numeric ? 'num' : 'word'));
  return tokens;
}

let lastTermsInput: string | undefined;
let lastTermsOutput: string[] = [];

/**
 * The lowercased terms of the standard analyzer, without positions or offsets: the indexing fast path. `undefined`
 * for non-ASCII text (use the full analyzer). The last result is memoised because a text field and its sub-field
 * analyse the same value one after the other; callers must not modify the returned array.
 */
export function standardTermsAscii(text: string): string[] | undefined {
  if (text === lastTermsInput) return lastTermsOutput;
  if (NON_ASCII.test(text)) return undefined;
  const lower = text.toLowerCase();
  const terms: string[] = [];
  scanAscii(lower, (start, end) => {
    if (end - start <= MAX_TOKEN_LENGTH) terms.push(lower.slice(start, end));
    else for (let off = start; off < end; off += MAX_TOKEN_LENGTH) terms.push(lower.slice(off, Math.min(end, off + MAX_TOKEN_LENGTH)));
  });
  lastTermsInput = text;
  lastTermsOutput = terms;
  return terms;
}

function pushSplit(tokens: Token[], term: string, start: number, type: TokenType): void {
  for (let off = 0; off < term.length; off += MAX_TOKEN_LENGTH) {
    const piece = term.length <= MAX_TOKEN_LENGTH ? term : term.slice(off, off + MAX_TOKEN_LENGTH);
    tokens.push({ term: piece, position: tokens.length, start: start + off, end: start + off + piece.length, type });
  }
}

function classify(ch: string): TokenType | null {
  if (HAN.test(ch)) return 'han';
  if (HIRAGANA.test(ch)) return 'hiragana';
  if (KATAKANA.test(ch)) return 'katakana';
  if (HANGUL.test(ch)) return 'hangul';
  return null;
}

const isAsciiSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

/**
 * Text with non-ASCII characters. No UAX #29 rule joins a word across ASCII whitespace, so the text is cut there into
 * stretches of whitespace-separated chunks: stretches of pure-ASCII chunks take the hand-written scanner, the others
 * `Intl.Segmenter` (a mixed English/Chinese message thus pays the segmenter only for its Chinese words). A spec
 * checks the result equals segmenting the whole text.
 */
function unicodeTokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && isAsciiSpace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    let ascii: boolean | undefined;
    let end = i;
    // Extends the stretch chunk by chunk while the chunks are of the same kind (all-ASCII or not).
    while (i < n) {
      let j = i;
      let chunkAscii = true;
      for (; j < n; j++) {
        const c = text.charCodeAt(j);
        if (isAsciiSpace(c)) break;
        if (c >= 0x80) chunkAscii = false;
      }
      if (ascii !== undefined && chunkAscii !== ascii) break;
      ascii = chunkAscii;
      end = j;
      i = j;
      while (i < n && isAsciiSpace(text.charCodeAt(i))) i++;
    }
    const stretch = text.slice(start, end);
    if (ascii) scanAscii(stretch, (a, b, numeric) => pushSplit(tokens, stretch.slice(a, b), start + a, numeric ? 'num' : 'word'));
    else if (IDEOGRAPHS_ONLY.test(stretch)) ideographTokens(stretch, tokens, start);
    else segmenterTokenize(stretch, tokens, start);
    i = end;
  }
  return tokens;
}

/**
 * A stretch of Chinese words (ideographs between ASCII whitespace), the common non-ASCII case: one token per
 * ideograph without `Intl.Segmenter`, whose dictionary segmentation the Han split would undo anyway (~16 % of the
 * search server's CPU in the whole-chain bench went to segmenting such words). A spec checks it equals the segmenter.
 */
function ideographTokens(stretch: string, tokens: Token[], base: number): void {
  for (let k = 0; k < stretch.length; k++) {
    if (!isAsciiSpace(stretch.charCodeAt(k))) tokens.push({ term: stretch[k]!, position: tokens.length, start: base + k, end: base + k + 1, type: 'han' });
  }
}

/** UAX #29 word segmentation by `Intl.Segmenter`, appending to `tokens` with offsets shifted by `base`. */
export function segmenterTokenize(text: string, tokens: Token[] = [], base = 0): Token[] {
  for (const seg of segmenter.segment(text)) {
    if (!seg.isWordLike || ONLY_UNDERSCORES.test(seg.segment)) continue;
    const word = seg.segment;
    if (!NON_ASCII.test(word)) {
      pushSplit(tokens, word, base + seg.index, /^[0-9.,;']+$/.test(word) ? 'num' : 'word');
      continue;
    }
    splitScripts(tokens, word, base + seg.index);
  }
  return tokens;
}

/** Splits a word-like segment the way Lucene's grammar does: Han/Hiragana per character, Katakana and Hangul per run. */
function splitScripts(tokens: Token[], word: string, base: number): void {
  let runStart = 0;
  let runType: TokenType | null | undefined;
  let offset = 0;
  const flush = (end: number) => {
    if (end > runStart && runType !== undefined) {
      pushSplit(tokens, word.slice(runStart, end), base + runStart, runType ?? 'word');
    }
  };
  for (const ch of word) {
    const type = classify(ch);
    const single = type === 'han' || type === 'hiragana';
    if (single || type !== runType) {
      flush(offset);
      runStart = offset;
      runType = type;
    }
    offset += ch.length;
    if (single) {
      flush(offset);
      runStart = offset;
      runType = undefined;
    }
  }
  flush(offset);
}
