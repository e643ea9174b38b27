import fc from 'fast-check';
import { denseUnion, intersect, mergeUnion, subtract, type DocSet } from './doc-set';

const docSet = fc
  .uniqueArray(fc.integer({ min: 0, max: 300 }), { maxLength: 60 })
  .map((docs): DocSet => {
    const sorted = Int32Array.from(docs).sort();
    return { docs: sorted, scores: Float64Array.from(sorted, (d) => (d % 7) + 0.5) };
  });

const plain = (s: DocSet) => [...s.docs].map((d, i) => [d, Number(s.scores[i].toFixed(9))]);

describe('doc-set algebra', () => {
  it('dense and merging unions agree (sum and dis_max, any minimum match)', () => {
    fc.assert(
      fc.property(fc.array(docSet, { minLength: 1, maxLength: 5 }), fc.integer({ min: 0, max: 4 }), fc.double({ min: 0, max: 1, noNaN: true }), (sets, min, tie) => {
        const maxDoc = 301;
        const total = sets.reduce((n, s) => n + s.docs.length, 0);
        for (const mode of [{ kind: 'sum' } as const, { kind: 'max', tieBreaker: tie } as const]) {
          expect(plain(denseUnion(sets, min, mode, maxDoc, total))).toEqual(plain(mergeUnion(sets, min, mode)));
        }
      }),
    );
  });

  it('intersects and subtracts sorted sets', () => {
    fc.assert(
      fc.property(docSet, docSet, (a, b) => {
        const inB = new Set(b.docs);
        expect([...intersect(a, b).docs]).toEqual([...a.docs].filter((d) => inB.has(d)));
        expect([...subtract(a, b).docs]).toEqual([...a.docs].filter((d) => !inB.has(d)));
      }),
    );
  });
});
