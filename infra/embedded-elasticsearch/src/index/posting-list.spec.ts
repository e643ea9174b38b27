import fc from 'fast-check';
import { PostingList } from './posting-list';

describe('PostingList', () => {
  it('round-trips ascending docs with their frequencies, large gaps included', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 3_000_000 }), fc.integer({ min: 1, max: 400 })), { maxLength: 200 }), (steps) => {
        const list = new PostingList();
        const expected: Array<[number, number]> = [];
        let doc = -1;
        for (const [gap, freq] of steps) {
          doc += gap;
          for (let f = 0; f < freq; f++) list.addOccurrence(doc);
          expected.push([doc, freq]);
        }
        const seen: Array<[number, number]> = [];
        list.forEach((d, f) => seen.push([d, f]));
        expect(seen).toEqual(expected);
        expect(list.size).toBe(expected.length);
        expect([...list.docs()]).toEqual(expected.map(([d]) => d));
        if (expected.length > 0) expect(list.freqOf(expected[0][0])).toBe(expected[0][1]);
      }),
      { numRuns: 200 },
    );
  });

  it('compacts away deleted docs and renumbers the rest', () => {
    const list = new PostingList();
    for (const [d, f] of [[0, 1], [2, 3], [5, 1], [9, 2]]) for (let i = 0; i < f; i++) list.addOccurrence(d);
    const remap = Int32Array.from([0, -1, 1, -1, -1, -1, -1, -1, -1, 2]);
    list.compact(remap);
    const seen: number[][] = [];
    list.forEach((d, f) => seen.push([d, f]));
    expect(seen).toEqual([[0, 1], [1, 3], [2, 2]]);
  });
});

describe('PostingList.scoreInto', () => {
  it('visits the same live documents and frequencies as forEach', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 300 })), { maxLength: 100 }), (steps) => {
        const list = new PostingList();
        let doc = -1;
        for (const [gap, freq] of steps) {
          doc += gap;
          for (let f = 0; f < freq; f++) list.addOccurrence(doc);
        }
        const live = new Uint8Array(doc + 2).map((_, d) => (d % 3 === 0 ? 0 : 1));
        const expected: number[][] = [];
        list.forEach((d, f) => {
          if (live[d]) expected.push([d, f === 1 ? -1 : f]);
        });
        const docs = new Int32Array(list.size);
        const scores = new Float64Array(list.size);
        const k = list.scoreInto(live, () => 0, Float64Array.of(-1), (f) => f, docs, scores);
        expect([...docs.subarray(0, k)].map((d, i) => [d, scores[i]])).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
