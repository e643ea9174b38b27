import type { Analyzer } from '../analysis/token';
import type { Mappings, ParsedDoc } from './mapping';

/** A parsed document with its text already analysed: each text field's term lists (one per value), and its other values. */
export interface AnalyzedDoc {
  text: Array<[path: string, termLists: string[][]]>;
  values: ParsedDoc['values'];
}
import { PitSnapshot } from './point-in-time';
import { TextFieldIndex } from './text-field-index';

export type ColumnValue = string | number | boolean;
/** Per-document values of a keyword/date/boolean/numeric field: one value, an array of values, or undefined. */
export type Column = Array<ColumnValue | ColumnValue[] | undefined>;

/** The realtime entry of a document, which records where the document is in the searchable view. */
export interface SearchableRef {
  docNum: number;
}

/** Lucene inserts this many positions between the values of a multi-valued text field. */
export const POSITION_INCREMENT_GAP = 100;

/**
 * What search sees: the documents as of the last refresh, numbered densely (doc numbers), with one inverted index per
 * text field and one column per other field. Updates and deletes mark the old doc number deleted; once deleted
 * documents are a large share, the view is compacted (as Lucene merges segments).
 */
export class SearchableView {
  maxDoc = 0;
  deleted = 0;
  /** Compactions so far (for tests). */
  compactions = 0;
  live = new Uint8Array(1024);
  docIds: string[] = [];
  sources: Array<Record<string, unknown> | null> = [];
  readonly text = new Map<string, TextFieldIndex>();
  readonly columns = new Map<string, Column>();
  /** Documents with a value, per column (BM25's docCount for term queries on those fields). */
  readonly columnDocCount = new Map<string, number>();

  /** Per column: value -> docs holding it (a doc number, or ascending doc numbers), built lazily up to `upTo`. */
  private valueIndexes = new Map<string, { upTo: number; docs: Map<ColumnValue, number | number[]> }>();

  /** `lookup(id)` finds the document's realtime entry, which records its doc number here (-1 when not searchable). */
  constructor(
    private readonly mappings: Mappings,
    private readonly analyzers: Map<string, Analyzer>,
    private readonly lookup: (id: string) => SearchableRef | undefined,
  ) {}

  get numDocs(): number {
    return this.maxDoc - this.deleted;
  }

  docOf(id: string): number | undefined {
    if (this.retiredIds !== undefined) return this.retiredDocOf(id);
    const doc = this.lookup(id)?.docNum ?? -1;
    return doc >= 0 ? doc : undefined;
  }

  /** The terms of every text field of a parsed document, per value: the costly half of indexing, done before `apply`. */
  analyze(parsed: ParsedDoc): AnalyzedDoc {
    const text: AnalyzedDoc['text'] = [];
    for (const [path, values] of parsed.text) {
      const analyzer = this.analyzers.get(this.mappings.fields.get(path)?.analyzer ?? 'standard') as Analyzer;
      text.push([path, values.map((v) => (analyzer.terms ? analyzer.terms(v) : analyzer(v).map((t) => t.term)))]);
    }
    return { text, values: parsed.values };
  }

  /** Makes the latest write of `ref`'s document searchable (or removes it, for a delete). */
  apply(id: string, ref: SearchableRef, analyzed: AnalyzedDoc | null, source: Record<string, unknown> | null): void {
    const old = ref.docNum;
    if (old >= 0) {
      this.live[old] = 0;
      // A point in time may still show the document: it is logged, its source stays until no open one needs it.
      if (this.pinnedAt.size === 0) this.sources[old] = null;
      else this.logDeletion(old);
      this.deleted++;
      ref.docNum = -1;
    }
    if (!analyzed || !source) return;
    const doc = this.maxDoc++;
    if (doc >= this.live.length) {
      const grown = new Uint8Array(this.live.length * 2);
      grown.set(this.live);
      this.live = grown;
    }
    this.live[doc] = 1;
    this.docIds[doc] = id;
    this.sources[doc] = source;
    ref.docNum = doc;
    for (const [path, termLists] of analyzed.text) {
      let index = this.text.get(path);
      if (!index) {
        index = new TextFieldIndex();
        this.text.set(path, index);
      }
      index.add(doc, termLists);
    }
    for (const [path, values] of analyzed.values) {
      let column = this.columns.get(path);
      if (!column) {
        column = [];
        this.columns.set(path, column);
      }
      // Dense, without holes: V8 turns an array written past a gap of over 1024 slots into a hash table (a field
      // whose first value comes late, or whose values are sparse: deleted_at, edited_at), slow to write and to read.
      for (let d = column.length; d < doc; d++) column.push(undefined);
      column[doc] = values.length === 1 ? values[0] : values;
      this.columnDocCount.set(path, (this.columnDocCount.get(path) ?? 0) + 1);
    }
  }

  /**
   * The docs holding each value of a column (deleted docs included: callers check `live`), for term lookups. Built
   * on first use and brought up to date incrementally (new documents always get higher doc numbers).
   */
  valueIndex(path: string): Map<ColumnValue, number | number[]> {
    let index = this.valueIndexes.get(path);
    if (!index) this.valueIndexes.set(path, (index = { upTo: 0, docs: new Map() }));
    const column = this.columns.get(path);
    if (column && index.upTo < this.maxDoc) {
      const docs = index.docs;
      const add = (v: ColumnValue, d: number) => {
        const cur = docs.get(v);
        if (cur === undefined) docs.set(v, d);
        else if (typeof cur === 'number') {
          if (cur !== d) docs.set(v, [cur, d]);
        } else if (cur[cur.length - 1] !== d) cur.push(d);
      };
      for (let d = index.upTo; d < this.maxDoc; d++) {
        const v = column[d];
        if (v === undefined) continue;
        if (Array.isArray(v)) for (const x of v) add(x, d);
        else add(v, d);
      }
    }
    // Only ever forwards: a point-in-time snapshot (smaller maxDoc) reads the same index.
    if (this.maxDoc > index.upTo) index.upTo = this.maxDoc;
    return index.docs;
  }

  /**
   * Deletions while any point in time is open, in order: the doc numbers deleted at positions `logBase ..
   * logBase + logLength - 1`. A point in time remembers `maxDoc` and the position at its opening; a doc is live in it
   * iff it is below its `maxDoc` and live now or deleted at or after its position. Entries older than every open
   * point in time are dropped (their sources released); with none open the log is empty.
   */
  private log = new Int32Array(256);
  private logLength = 0;
  private logBase = 0;
  /** Open points in time per log position, in opening order (positions never decrease): the first is the oldest. */
  private pinnedAt = new Map<number, number>();

  /** The log position now: a point in time opened now sees no deletion at or after it. */
  get logPosition(): number {
    return this.logBase + this.logLength;
  }

  /** The doc numbers deleted at or after log position `from` (a view over the log: read it before the next write). */
  deletedSince(from: number): Int32Array {
    return this.log.subarray(from - this.logBase, this.logLength);
  }

  /**
   * What the points in time opened on this view read: this view, until a compaction while they are open retires
   * the structures they read into a frozen view of their own (`retire`), which this then points to.
   */
  private generation: { view: SearchableView } = { view: this };
  /** For a retired view: id -> the doc live at its retirement, built on first use (undefined for the live view). */
  private retiredIds: Map<string, number> | null | undefined;

  /** Opens a point in time on the view as it is now; `snapshot.release()` once it is closed. */
  pin(): PitSnapshot {
    const position = this.logPosition;
    this.pinnedAt.set(position, (this.pinnedAt.get(position) ?? 0) + 1);
    return new PitSnapshot(this.generation, position);
  }

  /** Releases a point in time (through `snapshot.release()`): drops the log entries no open one needs, and compacts once none is open. */
  unpin(snapshot: PitSnapshot): void {
    const n = this.pinnedAt.get(snapshot.position);
    if (n === undefined) return;
    if (n > 1) this.pinnedAt.set(snapshot.position, n - 1);
    else this.pinnedAt.delete(snapshot.position);
    const none = this.pinnedAt.size === 0;
    const drop = (none ? this.logPosition : (this.pinnedAt.keys().next().value as number)) - this.logBase;
    // Amortised: while some are open, the log is shifted only once at least half of it is no longer needed.
    if (none || (drop > 0 && drop * 2 >= this.logLength)) {
      for (let i = 0; i < drop; i++) this.sources[this.log[i]] = null;
      this.log.copyWithin(0, drop, this.logLength);
      this.logLength -= drop;
      this.logBase += drop;
    }
    if (none && this.retiredIds === undefined) {
      if (this.log.length > 256) this.log = new Int32Array(256);
      this.maybeCompact();
    }
  }

  /** Open points in time (for tests and stats). */
  get pinCount(): number {
    let n = 0;
    for (const c of this.pinnedAt.values()) n += c;
    return n;
  }

  /** Log entries held for open points in time (for tests). */
  get pinnedLogLength(): number {
    return this.logLength;
  }

  private logDeletion(doc: number): void {
    if (this.logLength === this.log.length) {
      const grown = new Int32Array(this.log.length * 2);
      grown.set(this.log);
      this.log = grown;
    }
    this.log[this.logLength++] = doc;
  }

  /**
   * Moves the structures open points in time read (doc numbers, live flags, deletion log, postings, columns, sources)
   * to a frozen view of their own, as Lucene keeps a reader's old segments after a merge: compaction then builds new
   * ones for this view. The retired view is dropped with its last point in time.
   */
  private retire(): void {
    const old = new SearchableView(this.mappings, this.analyzers, this.lookup);
    old.maxDoc = this.maxDoc;
    old.deleted = this.deleted;
    old.live = this.live;
    old.docIds = this.docIds;
    old.sources = this.sources;
    for (const [path, index] of this.text) old.text.set(path, index);
    for (const [path, column] of this.columns) old.columns.set(path, column);
    for (const [path, count] of this.columnDocCount) old.columnDocCount.set(path, count);
    old.valueIndexes = this.valueIndexes;
    old.log = this.log;
    old.logLength = this.logLength;
    old.logBase = this.logBase;
    old.pinnedAt = this.pinnedAt;
    old.retiredIds = null;
    old.generation = this.generation;
    this.generation.view = old;
    this.generation = { view: this };
    this.valueIndexes = new Map();
    this.log = new Int32Array(256);
    this.logLength = 0;
    this.pinnedAt = new Map();
  }

  private retiredDocOf(id: string): number | undefined {
    if (this.retiredIds === null) {
      const ids = new Map<string, number>();
      for (let d = 0; d < this.maxDoc; d++) if (this.live[d]) ids.set(this.docIds[d], d);
      this.retiredIds = ids;
    }
    return this.retiredIds?.get(id);
  }

  /**
   * Merges deleted documents away when they are over a third of the view. Open points in time keep reading the
   * structures as they were (retired to a view of their own); a retired view never compacts.
   */
  maybeCompact(): void {
    if (this.retiredIds !== undefined) return;
    if (this.deleted < 1000 || this.deleted * 3 < this.maxDoc) return;
    if (this.pinnedAt.size > 0) this.retire();
    this.compactions++;
    const remap = new Int32Array(this.maxDoc).fill(-1);
    let next = 0;
    for (let d = 0; d < this.maxDoc; d++) if (this.live[d]) remap[d] = next++;
    const live = new Uint8Array(Math.max(1024, next * 2));
    live.fill(1, 0, next);
    const docIds: string[] = new Array(next);
    const sources: Array<Record<string, unknown> | null> = new Array(next);
    for (let d = 0; d < this.maxDoc; d++) {
      const n = remap[d];
      if (n < 0) continue;
      docIds[n] = this.docIds[d];
      sources[n] = this.sources[d];
      const ref = this.lookup(this.docIds[d]);
      if (ref) ref.docNum = n;
    }
    for (const [path, index] of this.text) this.text.set(path, index.compacted(remap, next));
    for (const [path, column] of this.columns) {
      const compacted: Column = new Array(next);
      let count = 0;
      for (let d = 0; d < this.maxDoc; d++) {
        if (remap[d] >= 0) {
          compacted[remap[d]] = column[d];
          if (column[d] !== undefined) count++;
        }
      }
      this.columns.set(path, compacted);
      this.columnDocCount.set(path, count);
    }
    this.valueIndexes = new Map();
    this.live = live;
    this.docIds = docIds;
    this.sources = sources;
    this.maxDoc = next;
    this.deleted = 0;
  }
}
