import fc from 'fast-check';
import { MAX_CLAUSES, QuerySyntaxError, parseQuery } from './query-parser';

const w = (text: string, cjk = false) => ({ kind: 'word', text, cjk });
const p = (text: string) => ({ kind: 'phrase', text, cjk: false });

describe('parseQuery', () => {
  it('requires every word', () => {
    expect(parseQuery('kafka  search')).toEqual({ groups: [[w('kafka')], [w('search')]], excluded: [] });
  });

  it('reads quoted phrases, an unclosed quote running to the end', () => {
    expect(parseQuery('"hello   world" x')).toEqual({ groups: [[p('hello world')], [w('x')]], excluded: [] });
    expect(parseQuery('a "b c')).toEqual({ groups: [[w('a')], [p('b c')]], excluded: [] });
  });

  it('excludes -words and -"phrases"', () => {
    expect(parseQuery('cat -dog -"big bird"')).toEqual({ groups: [[w('cat')]], excluded: [w('dog'), p('big bird')] });
  });

  it('joins terms around OR; a leading, trailing or lower-case or is a word', () => {
    expect(parseQuery('cat OR dog fish')).toEqual({ groups: [[w('cat'), w('dog')], [w('fish')]], excluded: [] });
    expect(parseQuery('a OR b OR c')).toEqual({ groups: [[w('a'), w('b'), w('c')]], excluded: [] });
    expect(parseQuery('OR cat')).toEqual({ groups: [[w('OR')], [w('cat')]], excluded: [] });
    expect(parseQuery('cat OR')).toEqual({ groups: [[w('cat')], [w('OR')]], excluded: [] });
    expect(parseQuery('cat or dog').groups).toHaveLength(3);
  });

  it('marks Chinese, Japanese and Korean terms', () => {
    expect(parseQuery('搜索 テスト 안녕 foo').groups.map((g) => g[0]?.cjk)).toEqual([true, true, true, false]);
  });

  it('drops punctuation-only terms and invisible characters', () => {
    expect(parseQuery('cat !!! \u202e-- \u0000dog')).toEqual({ groups: [[w('cat')], [w('dog')]], excluded: [] });
  });

  it('rejects queries with nothing to find or too many terms', () => {
    for (const q of ['', '   ', '-cat', '"" ---']) expect(() => parseQuery(q)).toThrow(QuerySyntaxError);
    expect(parseQuery('OR').groups).toEqual([[w('OR')]]);
    expect(() => parseQuery(Array.from({ length: MAX_CLAUSES + 1 }, (_, i) => `w${i}`).join(' '))).toThrow(/at most/);
  });

  it('never throws anything but QuerySyntaxError, and keeps only text from the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (q) => {
        try {
          const parsed = parseQuery(q);
          for (const c of [...parsed.groups.flat(), ...parsed.excluded]) {
            expect(c.text.length).toBeGreaterThan(0);
            expect(c.text).not.toMatch(/["\p{Cc}]/u);
          }
        } catch (e) {
          expect(e).toBeInstanceOf(QuerySyntaxError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
