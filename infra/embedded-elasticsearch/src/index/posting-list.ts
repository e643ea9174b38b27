/**
 * The documents containing one term, in ascending doc order, with the term's frequency in each, encoded as Lucene
 * does in spirit: variable-length integers of doc gaps, the low bit of the gap saying "frequency 1" (else the
 * frequency follows). A common term costs about one byte per document. The latest document's frequency stays
 * pending (unencoded) until the next document arrives, since its occurrences are still being counted.
 */
export class PostingList {
  private bytes = new Uint8Array(4);
  private length = 0;
  private lastDoc = -1;
  private pendingDoc = -1;
  private pendingFreq = 0;
  /** Number of documents. */
  size = 0;

  /** One more occurrence of the term in `doc`, which is the highest doc so far or a new, higher one. */
  addOccurrence(doc: number): void {
    if (doc === this.pendingDoc) {
      this.pendingFreq++;
      return;
    }
    if (this.pendingDoc >= 0) this.flush();
    this.pendingDoc = doc;
    this.pendingFreq = 1;
    this.size++;
  }

  private flush(): void {
    const gap = this.pendingDoc - this.lastDoc;
    if (this.pendingFreq === 1) this.writeVInt(gap * 2 + 1);
    else {
      this.writeVInt(gap * 2);
      this.writeVInt(this.pendingFreq);
    }
    this.lastDoc = this.pendingDoc;
    this.pendingDoc = -1;
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

  /** Drops deleted docs and renumbers the rest (`remap[old]` = new number or -1). */
  compact(remap: Int32Array): void {
    const entries: number[] = [];
    this.forEach((doc, freq) => {
      const d = remap[doc];
      if (d >= 0) entries.push(d, freq);
    });
    this.bytes = new Uint8Array(Math.max(4, entries.length));
    this.length = 0;
    this.lastDoc = -1;
    this.pendingDoc = -1;
    this.size = 0;
    for (let i = 0; i < entries.length; i += 2) {
      this.addOccurrence(entries[i]);
      this.pendingFreq = entries[i + 1];
    }
  }
}
