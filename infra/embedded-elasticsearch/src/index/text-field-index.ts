import { PostingList } from './posting-list';

/** Lucene's SmallFloat.intToByte4 / byte4ToInt: field lengths are stored as one byte, exact below 24 tokens. */
const NUM_FREE_VALUES = 24;
function longToInt4(i: number): number {
  const numBits = 32 - Math.clz32(i);
  if (numBits < 4) return i;
  const shift = numBits - 4;
  return ((i >>> shift) & 0x07) | ((shift + 1) << 3);
}
function int4ToLong(i: number): number {
  const bits = i & 0x07;
  const shift = (i >>> 3) - 1;
  return shift === -1 ? bits : (bits | 0x08) * 2 ** shift;
}
export function lengthToNorm(length: number): number {
  return length < NUM_FREE_VALUES ? length : NUM_FREE_VALUES + longToInt4(length - NUM_FREE_VALUES);
}
export const LENGTH_TABLE: Float64Array = Float64Array.from({ length: 256 }, (_, i) =>
  i < NUM_FREE_VALUES ? i : NUM_FREE_VALUES + int4ToLong(i - NUM_FREE_VALUES),
);

/**
 * The inverted index of one text field: term -> postings, per-document lengths, and the collection statistics BM25
 * needs. As in Lucene, statistics count deleted documents until they are merged away (see `compact`).
 */
export class TextFieldIndex {
  readonly postings = new Map<string, PostingList>();
  lengths = new Int32Array(1024);
  /** Documents with at least one token in this field. */
  docCount = 0;
  sumTotalTermFreq = 0;

  /** Adds a document's terms. Docs arrive in increasing order, so a term seen again for the same doc bumps its freq. */
  add(doc: number, termLists: string[][]): void {
    let length = 0;
    for (const terms of termLists) length += terms.length;
    if (length === 0) return;
    for (const terms of termLists) {
      for (const term of terms) {
        let list = this.postings.get(term);
        if (!list) {
          list = new PostingList();
          this.postings.set(term, list);
        }
        list.addOccurrence(doc, length);
      }
    }
    if (doc >= this.lengths.length) {
      const grown = new Int32Array(Math.max(doc + 1, this.lengths.length * 2));
      grown.set(this.lengths);
      this.lengths = grown;
    }
    this.lengths[doc] = length;
    this.docCount++;
    this.sumTotalTermFreq += length;
  }

  lengthOf(doc: number): number {
    return doc < this.lengths.length ? this.lengths[doc] : 0;
  }

  /** `cache[norm]` = 1 / (k1 * (1 - b + b * dl / avgdl)) in float32, as Lucene's BM25Similarity precomputes it. */
  normCache(k1 = 1.2, b = 0.75): Float64Array {
    const f = Math.fround;
    const avgdl = f(this.docCount === 0 ? 1 : this.sumTotalTermFreq / this.docCount);
    return LENGTH_TABLE.map((len) => f(1 / f(f(k1) * f(f(1 - f(b)) + f(f(f(b) * len) / avgdl)))));
  }

  /** This index without the deleted docs, renumbered by `remap` (old -> new or -1): a new index, this one unchanged. */
  compacted(remap: Int32Array, newMaxDoc: number): TextFieldIndex {
    const out = new TextFieldIndex();
    const lengths = new Int32Array(Math.max(1024, newMaxDoc));
    for (let old = 0; old < remap.length && old < this.lengths.length; old++) {
      const d = remap[old];
      if (d < 0 || this.lengths[old] === 0) continue;
      lengths[d] = this.lengths[old];
      out.docCount++;
      out.sumTotalTermFreq += this.lengths[old];
    }
    out.lengths = lengths;
    for (const [term, list] of this.postings) {
      const copy = list.compacted(remap, (d) => lengths[d]);
      if (copy.size > 0) out.postings.set(term, copy);
    }
    return out;
  }
}

export function idf(docFreq: number, docCount: number): number {
  return Math.fround(Math.log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5)));
}

/** Lucene's BM25Scorer.score in float32: weight - weight / (1 + freq * normInverse). */
export function bm25(weight: number, freq: number, normInverse: number): number {
  const f = Math.fround;
  return f(weight - f(weight / f(1 + f(freq * normInverse))));
}
