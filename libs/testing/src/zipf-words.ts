/**
 * Benchmark text: a deterministic vocabulary of syllable words used with Zipf frequencies (the k-th word's weight is
 * 1/k), as words are in natural text. Word k spells `firstIndex + k` in base `syllables.length`, one syllable per digit.
 * Returns a generator of words drawn with `rand` (the caller's seeded generator, so each benchmark keeps its data).
 */
export function zipfWords(options: { syllables: readonly string[]; size: number; firstIndex: number; rand: () => number }): () => string {
  const { syllables, size, firstIndex, rand } = options;
  const vocabulary = Array.from({ length: size }, (_, i) => {
    let w = '';
    for (let n = i + firstIndex; n > 0; n = Math.floor(n / syllables.length)) w += syllables[n % syllables.length];
    return w;
  });
  const harmonic = vocabulary.reduce((s, _w, i) => s + 1 / (i + 1), 0);
  let acc = 0;
  const cdf = Float64Array.from(vocabulary, (_w, i) => (acc += 1 / (i + 1) / harmonic));
  return () => {
    const r = rand();
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cdf[mid] as number) < r) lo = mid + 1;
      else hi = mid;
    }
    return vocabulary[lo] as string;
  };
}
