import fc from 'fast-check';
import { PostingList } from '../index/posting-list';
import { LENGTH_TABLE } from '../index/text-field-index';
import { NO_MORE_DOCS, TermScorer } from './scorer';

/** Random postings (several skip blocks, frequencies past the score table, deleted docs, long fields). */
const postings = fc.array(fc.tuple(fc.integer({ min: 1, max: 40 }), fc.constantFrom(1, 1, 1, 2, 3, 7, 70), fc.integer({ min: 1, max: 5000 })), { maxLength: 600 });

describe('TermScorer.scoreRange', () => {
  it('scores a range of documents at once exactly as next() and score() do, with and without a floor', () => {
    fc.assert(
      fc.property(postings, fc.array(fc.integer({ min: 1, max: 900 }), { minLength: 1, maxLength: 10 }), fc.boolean(), (steps, spans, withFloor) => {
        const list = new PostingList();
        const lengths = new Int32Array(30_000);
        const live = new Uint8Array(30_000).fill(1);
        let doc = -1;
        for (const [gap, freq, length] of steps) {
          doc += gap;
          lengths[doc] = length;
          if (doc % 5 === 0) live[doc] = 0;
          for (let f = 0; f < freq; f++) list.addOccurrence(doc, length);
        }
        const cache = LENGTH_TABLE.map((len) => Math.fround(1 / (1.2 * (0.25 + (0.75 * len) / 40))));
        const bulk = new TermScorer(list, live, lengths, 1.7, cache);
        const reference = new TermScorer(list, live, lengths, 1.7, cache);
        const floor = withFloor ? { extra: 0.2, factor: 1.5, min: 1.3 } : undefined;
        let start = 0;
        for (const span of spans) {
          const end = start + span - 1;
          const scores = new Float64Array(span).fill(-1);
          const seen = new Int32Array(span);
          const offsets = new Int32Array(span);
          const count = bulk.scoreRange(start, end, scores, 0, seen, offsets, 0, floor);
          const want: Array<[number, number]> = [];
          for (let d = reference.advance(start); d <= end; d = reference.next()) {
            const s = reference.score();
            if (!floor || (s + floor.extra) * floor.factor > floor.min) want.push([d - start, s]);
          }
          expect(Array.from(offsets.subarray(0, count), (off) => [off, scores[off]])).toEqual(want);
          expect(bulk.doc).toBe(reference.doc);
          if (bulk.doc === NO_MORE_DOCS) break;
          start = end + 1;
        }
      }),
      { numRuns: 300, endOnFailure: true },
    );
  });
});
