/** The benchmarks' deterministic text: a 20,000-word vocabulary with Zipf-distributed use, like natural text. */
let seed = 42;
export const rand = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'to', 'vi', 'be', 'do', 'fa', 'gi', 'ha', 'ju', 'ko', 'pe', 'qu', 'ri', 'su', 'ze'];
const VOCAB = Array.from({ length: 20_000 }, (_, i) => {
  let w = '';
  let n = i + 1;
  while (n > 0) {
    w += SYLLABLES[n % SYLLABLES.length];
    n = Math.floor(n / SYLLABLES.length);
  }
  return w;
});
const HARMONIC = VOCAB.reduce((s, _w, i) => s + 1 / (i + 1), 0);
const CDF = (() => {
  let acc = 0;
  return Float64Array.from(VOCAB, (_w, i) => (acc += 1 / (i + 1) / HARMONIC));
})();

export function word(): string {
  const r = rand();
  let lo = 0;
  let hi = CDF.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (CDF[mid] < r) lo = mid + 1;
    else hi = mid;
  }
  return VOCAB[lo];
}

export function text(bytes: number): string {
  let s = word();
  while (s.length < bytes) s += ` ${word()}`;
  return s;
}
