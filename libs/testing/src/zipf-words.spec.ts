import { zipfWords } from './zipf-words';

describe('zipfWords', () => {
  it('spells each word from its index and draws them with Zipf frequencies from the given generator', () => {
    let seed = 1;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const word = zipfWords({ syllables: ['a', 'b', 'c'], size: 50, firstIndex: 1, rand });
    const counts = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const w = word();
      counts.set(w, (counts.get(w) ?? 0) + 1);
    }
    // Index 1 is 'b', 2 'c', 3 'ab' (base 3, least significant syllable first).
    expect([...counts.keys()]).toEqual(expect.arrayContaining(['b', 'c', 'ab']));
    const first = counts.get('b') as number;
    // Weight 1/k over H(50) ≈ 4.5: the first word about 22 %, the second half of that.
    expect(first / 20_000).toBeGreaterThan(0.19);
    expect(first / 20_000).toBeLessThan(0.25);
    expect((counts.get('c') as number) / first).toBeGreaterThan(0.4);
    expect((counts.get('c') as number) / first).toBeLessThan(0.6);
    const again = zipfWords({ syllables: ['a', 'b', 'c'], size: 50, firstIndex: 1, rand });
    seed = 1;
    const drawn = Array.from({ length: 5 }, word);
    seed = 1;
    expect(Array.from({ length: 5 }, again)).toEqual(drawn);
  });
});
