import { buildBatches, chunkLazily } from './batch-builder';

const items = (...sizes: number[]) => sizes.map((bytes, i) => ({ bytes, i }));

describe('buildBatches', () => {
  it('bounds each batch by count', () => {
    const batches = buildBatches(items(1, 1, 1, 1, 1), { maxDocs: 2, maxBytes: 1000 });
    expect(batches.map((b) => b.map((x) => x.i))).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('bounds each batch by bytes, keeping order', () => {
    const batches = buildBatches(items(40, 40, 30, 50, 10), { maxDocs: 100, maxBytes: 100 });
    expect(batches.map((b) => b.map((x) => x.i))).toEqual([[0, 1], [2, 3, 4]]);
    for (const b of batches) expect(b.reduce((s, x) => s + x.bytes, 0)).toBeLessThanOrEqual(100);
  });

  it('gives an oversized item a batch of its own', () => {
    expect(buildBatches(items(10, 500, 10), { maxDocs: 10, maxBytes: 100 }).map((b) => b.length)).toEqual([1, 1, 1]);
  });

  it('returns nothing for nothing and rejects bad limits', () => {
    expect(buildBatches([], { maxDocs: 1, maxBytes: 1 })).toEqual([]);
    expect(() => buildBatches([], { maxDocs: 0, maxBytes: 1 })).toThrow(RangeError);
  });
});

describe('chunkLazily', () => {
  it('yields the chunks of buildBatches, pulling each item only when its chunk is being filled', () => {
    const sizes = [40, 40, 30, 50, 10, 500, 1, 1, 1];
    const pulled: number[] = [];
    function* source() {
      for (const [i, bytes] of sizes.entries()) {
        pulled.push(i);
        yield { bytes, i };
      }
    }
    const limits = { maxDocs: 3, maxBytes: 100 };
    const chunks = chunkLazily(source(), limits);
    const first = chunks.next();
    // [0, 1] closed by size when item 2 did not fit: nothing beyond item 2 was made yet.
    expect(first.value?.map((x) => x.i)).toEqual([0, 1]);
    expect(pulled).toEqual([0, 1, 2]);
    // [2, 3, 4] closed by count as soon as it is full.
    expect(chunks.next().value?.map((x) => x.i)).toEqual([2, 3, 4]);
    expect(pulled).toEqual([0, 1, 2, 3, 4]);
    const rest = [...chunks].map((c) => c.map((x) => x.i));
    expect([[0, 1], [2, 3, 4], ...rest]).toEqual(buildBatches(items(...sizes), limits).map((b) => b.map((x) => x.i)));
  });
});
