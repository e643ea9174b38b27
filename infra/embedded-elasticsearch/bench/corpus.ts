import { zipfWords } from '@nova/testing';

/** The benchmarks' deterministic text: a 20,000-word vocabulary with Zipf-distributed use, like natural text. */
let seed = 42;
export const rand = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'to', 'vi', 'be', 'do', 'fa', 'gi', 'ha', 'ju', 'ko', 'pe', 'qu', 'ri', 'su', 'ze'];
export const word = zipfWords({ syllables: SYLLABLES, size: 20_000, firstIndex: 1, rand });

export function text(bytes: number): string {
  let s = word();
  while (s.length < bytes) s += ` ${word()}`;
  return s;
}
