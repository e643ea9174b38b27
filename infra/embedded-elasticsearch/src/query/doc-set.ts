import { arena } from './arena';

/** Matching documents in ascending doc order, each with its score. */
export interface DocSet {
  docs: Int32Array;
  scores: Float64Array;
}

export const EMPTY: DocSet = { docs: new Int32Array(0), scores: new Float64Array(0) };

export function constantSet(docs: Int32Array, score: number): DocSet {
  return { docs, scores: arena.float64(docs.length).fill(score) };
}

/** Docs in both; scores added (`b` contributes nothing when `scoreB` is false, as a filter). */
export function intersect(a: DocSet, b: DocSet, scoreB = true): DocSet {
  const n = Math.min(a.docs.length, b.docs.length);
  const docs = arena.int32(n);
  const scores = arena.float64(n);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.docs.length && j < b.docs.length) {
    const x = a.docs[i];
    const y = b.docs[j];
    if (x === y) {
      docs[k] = x;
      scores[k++] = a.scores[i] + (scoreB ? b.scores[j] : 0);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return { docs: docs.subarray(0, k), scores: scores.subarray(0, k) };
}

/** Docs of `a` not in `b`. */
export function subtract(a: DocSet, b: DocSet): DocSet {
  const docs = arena.int32(a.docs.length);
  const scores = arena.float64(a.docs.length);
  let j = 0;
  let k = 0;
  for (let i = 0; i < a.docs.length; i++) {
    const x = a.docs[i];
    while (j < b.docs.length && b.docs[j] < x) j++;
    if (j < b.docs.length && b.docs[j] === x) continue;
    docs[k] = x;
    scores[k++] = a.scores[i];
  }
  return { docs: docs.subarray(0, k), scores: scores.subarray(0, k) };
}

/**
 * Union of several sets with the number of sets each doc is in; keeps docs in at least `minMatch` sets.
 * `combine` sums scores (bool should) or takes the maximum plus tie_breaker times the others (dis_max).
 */
export function union(sets: DocSet[], minMatch: number, mode: { kind: 'sum' } | { kind: 'max'; tieBreaker: number }): DocSet {
  if (sets.length === 0) return { docs: new Int32Array(0), scores: new Float64Array(0) };
  let total = 0;
  let maxDoc = 0;
  for (const s of sets) {
    total += s.docs.length;
    if (s.docs.length > 0) maxDoc = Math.max(maxDoc, s.docs[s.docs.length - 1] + 1);
  }
  if (sets.length > 2 || total * 8 > maxDoc) return denseUnion(sets, minMatch, mode, maxDoc, total);
  return mergeUnion(sets, minMatch, mode);
}

let scratchSum = new Float64Array(0);
let scratchMax = new Float64Array(0);
let scratchCount = new Uint16Array(0);

/**
 * Union through per-document accumulators (reused between queries, zeroed as they are read): linear in the number
 * of postings plus the doc range, which beats pairwise merging for large or many sets.
 */
function ensureScratch(maxDoc: number): void {
  if (scratchSum.length < maxDoc) {
    scratchSum = new Float64Array(maxDoc);
    scratchMax = new Float64Array(maxDoc);
    scratchCount = new Uint16Array(maxDoc);
  }
}

/**
 * A sum of scores fed straight into the dense accumulators by `feed` (which adds to `sum[doc]` and `count[doc]` and
 * returns how many postings it added), keeping docs matched by at least `minMatch` feeds. Used by disjunctions of
 * terms, so no per-term arrays are built.
 */
export function accumulateSum(maxDoc: number, minMatch: number, feed: (sum: Float64Array, count: Uint16Array) => number): DocSet {
  ensureScratch(maxDoc);
  const sum = scratchSum;
  const count = scratchCount;
  const total = feed(sum, count);
  const outDocs = arena.int32(Math.min(total, maxDoc));
  const outScores = arena.float64(outDocs.length);
  let k = 0;
  for (let d = 0; d < maxDoc; d++) {
    const c = count[d];
    if (c === 0) continue;
    if (c >= minMatch) {
      outDocs[k] = d;
      outScores[k++] = sum[d];
    }
    count[d] = 0;
    sum[d] = 0;
  }
  return { docs: outDocs.subarray(0, k), scores: outScores.subarray(0, k) };
}

export function denseUnion(sets: DocSet[], minMatch: number, mode: { kind: 'sum' } | { kind: 'max'; tieBreaker: number }, maxDoc: number, total: number): DocSet {
  ensureScratch(maxDoc);
  const sum = scratchSum;
  const max = scratchMax;
  const count = scratchCount;
  const useMax = mode.kind === 'max';
  for (const s of sets) {
    const { docs, scores } = s;
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i];
      const x = scores[i];
      sum[d] += x;
      if (useMax && (count[d] === 0 || x > max[d])) max[d] = x;
      count[d]++;
    }
  }
  const outDocs = arena.int32(Math.min(total, maxDoc));
  const outScores = arena.float64(outDocs.length);
  const tie = mode.kind === 'max' ? mode.tieBreaker : 0;
  let k = 0;
  for (let d = 0; d < maxDoc; d++) {
    const c = count[d];
    if (c === 0) continue;
    if (c >= minMatch) {
      outDocs[k] = d;
      outScores[k++] = useMax ? max[d] + tie * (sum[d] - max[d]) : sum[d];
    }
    count[d] = 0;
    sum[d] = 0;
    max[d] = 0;
  }
  return { docs: outDocs.subarray(0, k), scores: outScores.subarray(0, k) };
}

export function mergeUnion(sets: DocSet[], minMatch: number, mode: { kind: 'sum' } | { kind: 'max'; tieBreaker: number }): DocSet {
  let docs = sets[0].docs;
  let sum = Float64Array.from(sets[0].scores);
  let max = Float64Array.from(sets[0].scores);
  let counts = new Uint16Array(docs.length).fill(1);
  for (let s = 1; s < sets.length; s++) {
    const b = sets[s];
    const cap = docs.length + b.docs.length;
    const nd = new Int32Array(cap);
    const ns = new Float64Array(cap);
    const nm = new Float64Array(cap);
    const nc = new Uint16Array(cap);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < docs.length || j < b.docs.length) {
      const x = i < docs.length ? docs[i] : Infinity;
      const y = j < b.docs.length ? b.docs[j] : Infinity;
      if (x === y) {
        nd[k] = x;
        ns[k] = sum[i] + b.scores[j];
        nm[k] = Math.max(max[i], b.scores[j]);
        nc[k++] = counts[i++] + 1;
        j++;
      } else if (x < y) {
        nd[k] = x;
        ns[k] = sum[i];
        nm[k] = max[i];
        nc[k++] = counts[i++];
      } else {
        nd[k] = y;
        ns[k] = b.scores[j];
        nm[k] = b.scores[j];
        nc[k++] = 1;
        j++;
      }
    }
    docs = nd.subarray(0, k);
    sum = ns.subarray(0, k);
    max = nm.subarray(0, k);
    counts = nc.subarray(0, k);
  }
  const outDocs = new Int32Array(docs.length);
  const outScores = new Float64Array(docs.length);
  let k = 0;
  for (let i = 0; i < docs.length; i++) {
    if (counts[i] < minMatch) continue;
    outDocs[k] = docs[i];
    outScores[k++] = mode.kind === 'sum' ? sum[i] : max[i] + mode.tieBreaker * (sum[i] - max[i]);
  }
  return { docs: outDocs.subarray(0, k), scores: outScores.subarray(0, k) };
}
