/*
 * Skip blocks hold 128 postings (as Lucene's); `PostingList.blocks` has 5 Int32 fields per block: first doc, last
 * doc, end byte offset, max freq, min length. (Written as literals: an imported constant is a getter call once
 * TypeScript modules are compiled to CommonJS, too slow for the scoring loops.)
 */

/**
 * The documents containing one term, in ascending doc order, with the term's frequency in each, encoded as Lucene
 * does in spirit: variable-length integers of doc gaps, the low bit of the gap saying "frequency 1" (else the
 * frequency follows). A common term costs about one byte per document. The latest document's frequency stays
 * pending (unencoded) until the next document arrives, since its occurrences are still being counted.
 */
export class PostingList {
  /** @internal read by `PostingCursor` */
  bytes = new Uint8Array(4);
  /** @internal */
  length = 0;
  private lastDoc = -1;
  /** @internal */
  pendingDoc = -1;
  /** @internal */
  pendingFreq = 0;
  /** @internal */
  pendingLength = 0;
  /** Number of documents. */
  size = 0;
  /**
   * Skip data, one entry per full block of `BLOCK` encoded postings (as Lucene's skip lists with impacts): the
   * block's first and last doc, the byte offset where it ends, and its highest frequency and shortest field length
   * (together an upper bound of any score in the block). Allocated once a list has a full block.
   * @internal
   */
  blocks: Int32Array | undefined;
  /** @internal Number of full blocks. */
  blockCount = 0;
  /** @internal Stats of the postings encoded after the last full block (the tail block), pending doc excluded. */
  tailFirst = -1;
  /** @internal */
  tailMaxFreq = 0;
  /** @internal */
  tailMinLength = 0x7fffffff;
  private tailPostings = 0;
  /** Highest frequency and shortest length over the whole list (the term's global score bound). */
  maxFreq = 0;
  minLength = 0x7fffffff;

  /**
   * One more occurrence of the term in `doc`, which is the highest doc so far or a new, higher one. `length` is the
   * document's field length (for the per-block score bounds).
   */
  addOccurrence(doc: number, length = 1): void {
    if (doc === this.pendingDoc) {
      this.pendingFreq++;
      return;
    }
    if (this.pendingDoc >= 0) this.flush();
    this.pendingDoc = doc;
    this.pendingFreq = 1;
    this.pendingLength = length;
    this.size++;
  }

  private flush(): void {
    const doc = this.pendingDoc;
    const freq = this.pendingFreq;
    const length = this.pendingLength;
    const gap = doc - this.lastDoc;
    if (freq === 1 && gap < 64 && this.length < this.bytes.length) {
      // The common case: one byte (a small gap, frequency 1).
      this.bytes[this.length++] = gap * 2 + 1;
    } else if (freq === 1) this.writeVInt(gap * 2 + 1);
    else {
      this.writeVInt(gap * 2);
      this.writeVInt(freq);
    }
    this.lastDoc = doc;
    this.pendingDoc = -1;
    if (freq > this.maxFreq) this.maxFreq = freq;
    if (length < this.minLength) this.minLength = length;
    if (this.tailPostings++ === 0) this.tailFirst = doc;
    if (freq > this.tailMaxFreq) this.tailMaxFreq = freq;
    if (length < this.tailMinLength) this.tailMinLength = length;
    if (this.tailPostings === 128) this.closeBlock(doc);
  }

  private closeBlock(lastDoc: number): void {
    const at = this.blockCount * 5;
    if (!this.blocks || at + 5 > this.blocks.length) {
      const grown = new Int32Array(Math.max(20, (this.blocks?.length ?? 0) * 2));
      if (this.blocks) grown.set(this.blocks);
      this.blocks = grown;
    }
    const b = this.blocks;
    b[at] = this.tailFirst;
    b[at + 1] = lastDoc;
    b[at + 2] = this.length;
    b[at + 3] = this.tailMaxFreq;
    b[at + 4] = this.tailMinLength;
    this.blockCount++;
    this.tailPostings = 0;
    this.tailFirst = -1;
    this.tailMaxFreq = 0;
    this.tailMinLength = 0x7fffffff;
  }


  private writeVInt(value: number): void {
    if (this.length + 5 > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length + 8, Math.ceil(this.bytes.length * 1.5)));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    let v = value;
    while (v >= 0x80) {
      this.bytes[this.length++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.bytes[this.length++] = v;
  }

  /** Calls `fn(doc, freq)` for every document in ascending order. */
  forEach(fn: (doc: number, freq: number) => void): void {
    const b = this.bytes;
    let pos = 0;
    let doc = -1;
    while (pos < this.length) {
      let v = 0;
      let shift = 1;
      let byte: number;
      do {
        byte = b[pos++];
        v += (byte & 0x7f) * shift;
        shift *= 128;
      } while (byte & 0x80);
      doc += Math.floor(v / 2);
      let freq = 1;
      if ((v & 1) === 0) {
        freq = 0;
        shift = 1;
        do {
          byte = b[pos++];
          freq += (byte & 0x7f) * shift;
          shift *= 128;
        } while (byte & 0x80);
      }
      fn(doc, freq);
    }
    if (this.pendingDoc >= 0) fn(this.pendingDoc, this.pendingFreq);
  }

  /**
   * The BM25 scoring loop of a term query, decoding inline (no callback per posting): writes the live documents and
   * their scores to `docs`/`scores` and returns how many. `scoreOfFreq1[norm]` and `scoreOf(freq, norm)` give scores;
   * `normOf(doc)` the document's length norm.
   */
  scoreInto(
    live: Uint8Array,
    normOf: (doc: number) => number,
    scoreOfFreq1: Float64Array,
    scoreOf: (freq: number, norm: number) => number,
    docs: Int32Array,
    scores: Float64Array,
  ): number {
    const b = this.bytes;
    const end = this.length;
    let pos = 0;
    let doc = -1;
    let k = 0;
    while (pos < end) {
      let byte = b[pos++];
      let v = byte & 0x7f;
      if (byte & 0x80) {
        let shift = 128;
        do {
          byte = b[pos++];
          v += (byte & 0x7f) * shift;
          shift *= 128;
        } while (byte & 0x80);
      }
      doc += Math.floor(v / 2);
      let freq = 1;
      if ((v & 1) === 0) {
        byte = b[pos++];
        freq = byte & 0x7f;
        let shift = 128;
        while (byte & 0x80) {
          byte = b[pos++];
          freq += (byte & 0x7f) * shift;
          shift *= 128;
        }
      }
      if (live[doc]) {
        const norm = normOf(doc);
        docs[k] = doc;
        scores[k++] = freq === 1 ? scoreOfFreq1[norm] : scoreOf(freq, norm);
      }
    }
    if (this.pendingDoc >= 0 && live[this.pendingDoc]) {
      const norm = normOf(this.pendingDoc);
      docs[k] = this.pendingDoc;
      scores[k++] = this.pendingFreq === 1 ? scoreOfFreq1[norm] : scoreOf(this.pendingFreq, norm);
    }
    return k;
  }

  /** As `scoreInto`, but adds each live document's score to `sum[doc]` and counts it in `count[doc]`. */
  accumulateInto(
    live: Uint8Array,
    normOf: (doc: number) => number,
    scoreOfFreq1: Float64Array,
    scoreOf: (freq: number, norm: number) => number,
    sum: Float64Array,
    count: Uint16Array,
  ): number {
    const b = this.bytes;
    const end = this.length;
    let pos = 0;
    let doc = -1;
    let k = 0;
    while (pos < end) {
      let byte = b[pos++];
      let v = byte & 0x7f;
      if (byte & 0x80) {
        let shift = 128;
        do {
          byte = b[pos++];
          v += (byte & 0x7f) * shift;
          shift *= 128;
        } while (byte & 0x80);
      }
      doc += Math.floor(v / 2);
      let freq = 1;
      if ((v & 1) === 0) {
        byte = b[pos++];
        freq = byte & 0x7f;
        let shift = 128;
        while (byte & 0x80) {
          byte = b[pos++];
          freq += (byte & 0x7f) * shift;
          shift *= 128;
        }
      }
      if (live[doc]) {
        const norm = normOf(doc);
        sum[doc] += freq === 1 ? scoreOfFreq1[norm] : scoreOf(freq, norm);
        count[doc]++;
        k++;
      }
    }
    if (this.pendingDoc >= 0 && live[this.pendingDoc]) {
      const norm = normOf(this.pendingDoc);
      sum[this.pendingDoc] += this.pendingFreq === 1 ? scoreOfFreq1[norm] : scoreOf(this.pendingFreq, norm);
      count[this.pendingDoc]++;
      k++;
    }
    return k;
  }

  /** The documents in ascending order. */
  docs(): Int32Array {
    const out = new Int32Array(this.size);
    let k = 0;
    this.forEach((doc) => (out[k++] = doc));
    return out;
  }

  /** The term's frequency in `doc`, 0 when absent. */
  freqOf(doc: number): number {
    if (doc === this.pendingDoc) return this.pendingFreq;
    let found = 0;
    this.forEach((d, f) => {
      if (d === doc) found = f;
    });
    return found;
  }

  /** Bytes used by the encoding (for memory accounting). */
  get byteSize(): number {
    return this.bytes.length;
  }

  /**
   * Drops deleted docs and renumbers the rest (`remap[old]` = new number or -1); `lengthOf(newDoc)` gives the
   * renumbered documents' field lengths.
   */
  compact(remap: Int32Array, lengthOf: (doc: number) => number = () => 1): void {
    Object.assign(this, this.compacted(remap, lengthOf));
  }

  /** As `compact`, into a new list (this one unchanged: a point in time may still read it). */
  compacted(remap: Int32Array, lengthOf: (doc: number) => number = () => 1): PostingList {
    const entries: number[] = [];
    this.forEach((doc, freq) => {
      const d = remap[doc];
      if (d >= 0) entries.push(d, freq);
    });
    const out = new PostingList();
    out.bytes = new Uint8Array(Math.max(4, entries.length));
    for (let i = 0; i < entries.length; i += 2) {
      out.addOccurrence(entries[i], lengthOf(entries[i]));
      out.pendingFreq = entries[i + 1];
    }
    return out;
  }
}
