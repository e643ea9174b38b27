import type { PostingList } from './posting-list';

/** Int32 fields per skip block in `PostingList.blocks` (see there). */
const BLOCK_FIELDS = 5;

/** Past the last document (Lucene's NO_MORE_DOCS). */
export const NO_MORE_DOCS = 0x7fffffff;

/**
 * Walks one posting list forwards (`next`, `advance`), skipping whole blocks through the list's skip data, and
 * answers block-level questions without decoding (`blockFor`, bounds of a block) for block-max pruning.
 * Block `list.blockCount` is the tail: the postings after the last full block plus the pending (last) document.
 */
export class PostingCursor {
  doc = -1;
  freq = 0;
  /** @internal read and written by `TermScorer.scoreRange`'s inline decoding */
  pos = 0;
  private block = 0;
  /** @internal */
  pendingRead = false;
  /** The last `blockFor` answer (before the tail check) and its target. */
  private foundBlock = 0;
  private foundTarget = -1;

  constructor(private readonly list: PostingList) {}

  next(): number {
    const l = this.list;
    const NO_MORE_DOCS = 0x7fffffff;
    if (this.pos < l.length) {
      const b = l.bytes;
      let byte = b[this.pos++];
      let v = byte & 0x7f;
      if (byte & 0x80) {
        let shift = 128;
        do {
          byte = b[this.pos++];
          v += (byte & 0x7f) * shift;
          shift *= 128;
        } while (byte & 0x80);
      }
      this.doc += Math.floor(v / 2);
      if (v & 1) this.freq = 1;
      else {
        byte = b[this.pos++];
        let freq = byte & 0x7f;
        let shift = 128;
        while (byte & 0x80) {
          byte = b[this.pos++];
          freq += (byte & 0x7f) * shift;
          shift *= 128;
        }
        this.freq = freq;
      }
      return this.doc;
    }
    if (!this.pendingRead && l.pendingDoc >= 0) {
      this.pendingRead = true;
      this.freq = l.pendingFreq;
      return (this.doc = l.pendingDoc);
    }
    return (this.doc = NO_MORE_DOCS);
  }

  /** The first document at or after `target` (no move when already there). */
  advance(target: number): number {
    if (this.doc >= target) return this.doc;
    const l = this.list;
    const blocks = l.blocks;
    if (blocks) {
      let b = this.block;
      while (b < l.blockCount && blocks[b * BLOCK_FIELDS + 1] < target) b++;
      if (b > 0) {
        const prev = (b - 1) * BLOCK_FIELDS;
        if (blocks[prev + 2] > this.pos) {
          // Jump to the start of block b: its gaps count from the previous block's last doc.
          this.pos = blocks[prev + 2];
          this.doc = blocks[prev + 1];
        }
      }
      this.block = b;
    }
    let doc = this.doc;
    while (doc < target) doc = this.next();
    return doc;
  }

  /**
   * The block holding the first document at or after `target`, or -1 when there is none. Does not move. The search
   * resumes from the block this found last when `target` has not gone back (a MaxScore scorer asks once per window
   * while the postings are decoded inline, which does not move `block`: scanning from it re-read every skip entry
   * from the cursor's last `advance` on, each window).
   */
  blockFor(target: number): number {
    const l = this.list;
    const blocks = l.blocks;
    let b = target >= this.foundTarget && this.foundBlock > this.block ? this.foundBlock : this.block;
    if (blocks) while (b < l.blockCount && blocks[b * BLOCK_FIELDS + 1] < target) b++;
    this.foundTarget = target;
    this.foundBlock = b;
    if (b < l.blockCount) return b;
    return this.tailLast() >= target ? l.blockCount : -1;
  }

  blockFirst(b: number): number {
    const l = this.list;
    if (b < l.blockCount) return l.blocks![b * BLOCK_FIELDS];
    return l.tailFirst >= 0 ? l.tailFirst : l.pendingDoc;
  }

  blockLast(b: number): number {
    const l = this.list;
    return b < l.blockCount ? l.blocks![b * BLOCK_FIELDS + 1] : this.tailLast();
  }

  blockMaxFreq(b: number): number {
    const l = this.list;
    if (b < l.blockCount) return l.blocks![b * BLOCK_FIELDS + 3];
    return Math.max(l.tailMaxFreq, l.pendingDoc >= 0 ? l.pendingFreq : 0);
  }

  blockMinLength(b: number): number {
    const l = this.list;
    if (b < l.blockCount) return l.blocks![b * BLOCK_FIELDS + 4];
    return Math.min(l.tailMinLength, l.pendingDoc >= 0 ? l.pendingLength : 0x7fffffff);
  }

  /** The block after `b`, or -1. */
  nextBlock(b: number): number {
    return b < this.list.blockCount ? b + 1 : -1;
  }

  private tailLast(): number {
    const l = this.list;
    if (l.pendingDoc >= 0) return l.pendingDoc;
    if (l.tailFirst < 0) return -1;
    // The tail has encoded postings but no pending doc only transiently; decode to find its last doc.
    let last = -1;
    l.forEach((d) => (last = d));
    return last;
  }
}
