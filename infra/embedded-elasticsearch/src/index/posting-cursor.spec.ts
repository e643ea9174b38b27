import fc from 'fast-check';
import { NO_MORE_DOCS, PostingCursor } from './posting-cursor';
import { PostingList } from './posting-list';

/** Random posting lists (several skip blocks long): cursor moves and block bounds against a plain decode. */
const postings = fc.array(fc.tuple(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 300 })), { maxLength: 700 });

function build(steps: Array<[number, number, number]>): { list: PostingList; expected: Array<{ doc: number; freq: number; length: number }> } {
  const list = new PostingList();
  const expected: Array<{ doc: number; freq: number; length: number }> = [];
  let doc = -1;
  for (const [gap, freq, length] of steps) {
    doc += gap;
    for (let f = 0; f < freq; f++) list.addOccurrence(doc, length);
    expected.push({ doc, freq, length });
  }
  return { list, expected };
}

describe('PostingCursor', () => {
  it('advances to the first posting at or after each target, across skip blocks', () => {
    fc.assert(
      fc.property(postings, fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 40 }), (steps, jumps) => {
        const { list, expected } = build(steps);
        const cursor = new PostingCursor(list);
        let target = 0;
        for (const jump of jumps) {
          target += jump;
          const want = expected.find((p) => p.doc >= target);
          const got = cursor.advance(target);
          expect(got).toBe(want?.doc ?? NO_MORE_DOCS);
          if (want) expect(cursor.freq).toBe(want.freq);
          if (got === NO_MORE_DOCS) break;
          if (jump % 2 === 0) {
            const after = expected.find((p) => p.doc > got);
            expect(cursor.next()).toBe(after?.doc ?? NO_MORE_DOCS);
            if (cursor.doc === NO_MORE_DOCS) break;
            target = cursor.doc;
          }
        }
      }),
      { numRuns: 300, endOnFailure: true },
    );
  });

  it('bulk-decodes the postings up to a doc (fill) and stops on the next, as advance and next would', () => {
    fc.assert(
      fc.property(postings, fc.array(fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 3000 })), { maxLength: 20 }), (steps, moves) => {
        const { list, expected } = build(steps);
        const cursor = new PostingCursor(list);
        const docs = new Int32Array(expected.length + 1);
        const freqs = new Int32Array(expected.length + 1);
        let target = 0;
        for (const [jump, span] of moves) {
          target += jump;
          if (cursor.advance(target) === NO_MORE_DOCS) break;
          const end = cursor.doc + span;
          const want = expected.filter((p) => p.doc >= cursor.doc && p.doc <= end);
          const n = cursor.fill(end, docs, freqs, 0);
          expect(Array.from(docs.subarray(0, n))).toEqual(want.map((p) => p.doc));
          expect(Array.from(freqs.subarray(0, n))).toEqual(want.map((p) => p.freq));
          const after = expected.find((p) => p.doc > end);
          expect(cursor.doc).toBe(after?.doc ?? NO_MORE_DOCS);
          if (!after) break;
          expect(cursor.freq).toBe(after.freq);
          target = Math.max(target, cursor.doc);
        }
      }),
      { numRuns: 300, endOnFailure: true },
    );
  });

  it('bounds every block by its first and last doc, highest freq and shortest length', () => {
    fc.assert(
      fc.property(postings, (steps) => {
        const { list, expected } = build(steps);
        const cursor = new PostingCursor(list);
        const seen = new Set<number>();
        for (const p of expected) {
          const b = cursor.blockFor(p.doc);
          expect(b).toBeGreaterThanOrEqual(0);
          seen.add(b);
          expect(cursor.blockFirst(b)).toBeLessThanOrEqual(p.doc);
          expect(cursor.blockLast(b)).toBeGreaterThanOrEqual(p.doc);
          expect(cursor.blockMaxFreq(b)).toBeGreaterThanOrEqual(p.freq);
          expect(cursor.blockMinLength(b)).toBeLessThanOrEqual(p.length);
        }
        // The last posting stays pending (unencoded), so full blocks hold the first n - 1 and the tail the rest.
        expect(seen.size).toBe(Math.ceil(expected.length / 128));
        expect(cursor.blockFor((expected.at(-1)?.doc ?? -1) + 1)).toBe(-1);
      }),
      { numRuns: 200, endOnFailure: true },
    );
  });
});
