import fc from 'fast-check';
import { BUILTIN_ANALYZERS } from './analyzers';
import { segmenterTokenize, standardTokenize } from './standard-tokenizer';

const terms = (analyzer: string, text: string) => BUILTIN_ANALYZERS[analyzer](text).map((t) => t.term);

describe('standard analyzer', () => {
  it('segments words as UAX #29 and lowercases', () => {
    expect(terms('standard', "The QUICK brown-fox can't jump 3.14 times, e.g. foo_bar")).toEqual(
      ['the', 'quick', 'brown', 'fox', "can't", 'jump', '3.14', 'times', 'e.g', 'foo_bar'],
    );
  });

  it('makes every Han and Hiragana character a token, keeps Katakana and Hangul runs', () => {
    expect(terms('standard', '東京タワーに行きました')).toEqual(['東', '京', 'タワー', 'に', '行', 'き', 'ま', 'し', 'た']);
    expect(terms('standard', '안녕하세요 세계')).toEqual(['안녕하세요', '세계']);
  });

  it('takes the ASCII fast path with the same result as Intl.Segmenter', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zA-Z0-9 .,:;'_\-!?]{0,40}$/), (text) => {
        expect(standardTokenize(text)).toEqual(segmenterTokenize(text));
      }),
      { numRuns: 500 },
    );
  });

  it('tokenizes mixed-script text (ASCII words by the fast path) exactly as Intl.Segmenter does the whole text', () => {
    const pieces = ['alpha', 'Bravo', '3.14', "can't", 'e.g', 'foo_bar', '_', '1,000', 'a:b', '北京', '天气很好', 'タワー', '東京タワー',
      'に行き', '안녕', 'café', 'naïve', 'e\u0301', '\u0301', 'ü', 'ß', 'Ω', '€', '数据库', 'x北', '北x', '—', '\u00a0', '\u3000', '\u200d', '🙂', '.', "'", ',', '-'];
    const gaps = [' ', '  ', '\t', '\n', '\r\n', '', '', ''];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...pieces), fc.constantFrom(...gaps)), { maxLength: 14 }), (parts) => {
        const text = parts.map(([w, g]) => w + g).join('');
        expect(standardTokenize(text)).toEqual(segmenterTokenize(text));
      }),
      { numRuns: 3_000 },
    );
  });

  it('tokenizes Chinese words (ideographs between spaces, next to other words) exactly as Intl.Segmenter does', () => {
    const ideograph = fc.oneof(fc.integer({ min: 0x4e00, max: 0x9fff }), fc.integer({ min: 0x3400, max: 0x4dbf }), fc.constantFrom(0x4e00, 0x9fff, 0x3400, 0x4dbf));
    const word = fc.array(ideograph, { minLength: 1, maxLength: 6 }).map((cs) => String.fromCharCode(...cs));
    const other = fc.constantFrom('alpha', '3.14', 'タワー', '北x', '々', '〇', '⺀', '\u{20000}', '안녕', 'é');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.oneof(word, word, other), fc.constantFrom(' ', '  ', '\t', '\n', '\r\n', '')), { maxLength: 10 }), (parts) => {
        const text = parts.map(([w, g]) => w + g).join('');
        expect(standardTokenize(text)).toEqual(segmenterTokenize(text));
      }),
      { numRuns: 3_000 },
    );
  });

  it('records character offsets for highlighting', () => {
    expect(standardTokenize('hi 世界').map((t) => [t.term, t.start, t.end])).toEqual([['hi', 0, 2], ['世', 3, 4], ['界', 4, 5]]);
  });
});

describe('cjk analyzer', () => {
  it('forms bigrams of adjacent CJK characters, unigrams for lone ones, and drops English stop words', () => {
    expect(terms('cjk', '東京タワー')).toEqual(['東京', '京タ', 'タワ', 'ワー']);
    expect(terms('cjk', '我 爱 the 东京')).toEqual(['我', '爱', '东京']);
    expect(terms('cjk', 'Ｆｕｌｌ width ﾀﾜｰ')).toEqual(['full', 'width', 'タワ', 'ワー']);
  });
});

describe('keyword analyzer', () => {
  it('keeps the whole value as one token', () => {
    expect(terms('keyword', 'Hello World')).toEqual(['Hello World']);
  });
});

describe('indexing fast path', () => {
  // Every script the analyzers treat apart, full-width Latin and half-width Katakana (cjk_width), stop words.
  const pieces = ['alpha', 'The', 'and', 's', 'www', '3.14', "can't", 'foo_bar', '北京', '天气很好', '我', 'タワー', '東京タワー', 'に行き',
    '안녕', '하세요', 'Ｆｕｌｌ', 'ＡＮＤ', 'ﾀﾜｰ', 'ｶﾞ', 'café', 'ΣΑΣ', 'İ', 'ß', '々', '\u{20000}', '🙂', '—', '\u3000', '.', '_'];
  const mixed = fc.array(fc.tuple(fc.constantFrom(...pieces), fc.constantFrom(' ', '  ', '', '', '\t', '-', ',')), { maxLength: 12 })
    .map((parts) => parts.map(([w, g]) => w + g).join(''));
  const text = fc.oneof(fc.string({ maxLength: 60 }), fc.stringMatching(/^[a-zA-Z0-9 .,:;'_\-東京タワーのは]{0,40}$/), mixed, mixed);

  it('gives the same terms as the full analysis chain', () => {
    fc.assert(
      fc.property(text, (t) => {
        for (const name of ['standard', 'cjk', 'keyword']) {
          const analyzer = BUILTIN_ANALYZERS[name];
          expect(analyzer.terms?.(t)).toEqual(analyzer(t).map((x) => x.term));
        }
      }),
      { numRuns: 3_000 },
    );
  });

  it('gives the same terms in any order of calls, texts repeated or not (a field and its sub-field share one tokenization)', () => {
    const calls = fc.array(fc.tuple(fc.constantFrom('standard', 'cjk'), fc.nat(3)), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 4 }), calls, (texts, sequence) => {
        for (const [name, k] of sequence) {
          const t = texts[k % texts.length];
          const analyzer = BUILTIN_ANALYZERS[name];
          const fast = analyzer.terms?.(t) as string[];
          expect(fast).toEqual(analyzer(t).map((x) => x.term));
          // The shared tokens are not modified by a caller's use of the result.
          expect(analyzer.terms?.(t)).toEqual(fast);
        }
      }),
      { numRuns: 1_000 },
    );
  });
});
