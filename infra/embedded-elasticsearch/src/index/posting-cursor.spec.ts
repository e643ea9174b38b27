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

  /** Several skip blocks (a block spans ~3,000 docs here). */
  const longPostings = fc.array(fc.tuple(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 3 }), fc.constant(10)), { minLength: 300, maxLength: 700 });

  it('finds the same block for any sequence of targets as a fresh cursor, between advances', () => {
    fc.assert(
      fc.property(longPostings, fc.array(fc.tuple(fc.integer({ min: -4000, max: 6000 }), fc.boolean()), { minLength: 5, maxLength: 40 }), (steps, moves) => {
        const { list } = build(steps);
        const cursor = new PostingCursor(list);
        let target = 0;
        for (const [delta, advance] of moves) {
          // Mostly forwards, as MaxScore asks once per window; sometimes backwards, across blocks.
          target = Math.max(0, target + delta);
          if (advance && cursor.doc < target && cursor.advance(target) === NO_MORE_DOCS) break;
          // The answer depends on where the cursor is (it never looks behind its block): a cursor moved straight there.
          const fresh = new PostingCursor(list);
          if (cursor.doc >= 0) fresh.advance(cursor.doc);
          expect(cursor.blockFor(target)).toBe(fresh.blockFor(target));
        }
      }),
      { numRuns: 300, endOnFailure: true },
    );
  });
});
