import { arena } from '../query/arena';
import type { PostingList } from './posting-list';
import type { SearchableView } from './searchable-view';
import type { TextFieldIndex } from './text-field-index';

/**
 * A point in time on a searchable view: exactly the documents and the scoring statistics of the moment it was
 * opened, whatever is written, deleted, refreshed afterwards. The live view only ever appends (new doc numbers at or
 * above `maxDoc`, postings appended to the lists), clears live flags, logs those deletions while any point in time
 * is open (keeping their sources), and compacts into new structures, retiring the old ones to a frozen view that
 * the points in time open then keep reading (as Lucene readers keep merged-away segments). So a point in time holds
 * only `maxDoc`, its position in the deletion log and the statistics of then (per field docCount and
 * sumTotalTermFreq, per column doc counts; per term the number of postings below `maxDoc`, computed on use): its
 * cost does not grow with the index, and what it reads at search time grows only with the deletions since it opened.
 */
export class PitSnapshot {
  readonly maxDoc: number;
  readonly deleted: number;
  private readonly text = new Map<string, TextFieldIndex>();
  private readonly columnDocCount: Map<string, number>;

  /** `generation.view` is the view it reads: the live one, or the one retired for it by a compaction since. */
  constructor(private readonly generation: { view: SearchableView }, readonly position: number) {
    const source = generation.view;
    this.maxDoc = source.maxDoc;
    this.deleted = source.deleted;
    for (const [path, index] of source.text) this.text.set(path, snapshotTextIndex(index, this.maxDoc));
    this.columnDocCount = new Map(source.columnDocCount);
  }

  /**
   * The view to run one search on (valid until the next write or search: its live flags are scratch memory of the
   * search, taken after `arena.reset()`): the live flags now below `maxDoc`, plus the documents deleted since.
   */
  searchView(): SearchableView {
    const { maxDoc } = this;
    const source = this.generation.view;
    const words = arena.int32((maxDoc + 3) >> 2);
    const live = new Uint8Array(words.buffer, words.byteOffset, maxDoc);
    live.set(source.live.subarray(0, maxDoc));
    const since = source.deletedSince(this.position);
    for (let i = 0; i < since.length; i++) if (since[i] < maxDoc) live[since[i]] = 1;
    const view = Object.create(source, {
      maxDoc: { value: maxDoc },
      deleted: { value: this.deleted },
      live: { value: live },
      text: { value: this.text },
      columnDocCount: { value: this.columnDocCount },
    }) as SearchableView;
    // The live view knows where an id is now; as of the point in time it may have been elsewhere (updated or
    // deleted since): then it is among the deletions since.
    Object.defineProperty(view, 'docOf', {
      value: (id: string): number | undefined => {
        const now = source.docOf(id);
        if (now !== undefined && now < maxDoc) return now;
        for (let i = 0; i < since.length; i++) if (since[i] < maxDoc && source.docIds[since[i]] === id) return since[i];
        return undefined;
      },
    });
    return view;
  }

  /** Closes it: the view stops keeping what only this point in time needed. */
  release(): void {
    this.generation.view.unpin(this);
  }
}

function snapshotTextIndex(index: TextFieldIndex, maxDoc: number): TextFieldIndex {
  const lists = new Map<string, PostingList | null>();
  const postings = {
    get(term: string): PostingList | undefined {
      let list = lists.get(term);
      if (list === undefined) {
        const current = index.postings.get(term);
        const size = current ? postingsBelow(current, maxDoc) : 0;
        list = size === 0 ? null : (Object.create(current!, { size: { value: size } }) as PostingList);
        lists.set(term, list);
      }
      return list ?? undefined;
    },
    *keys(): IterableIterator<string> {
      // Not cached: a walk over the whole vocabulary must not leave an entry per term in every point in time.
      for (const [term, list] of index.postings) if ((lists.get(term) ?? postingsBelow(list, maxDoc)) !== 0) yield term;
    },
  };
  return Object.create(index, {
    docCount: { value: index.docCount },
    sumTotalTermFreq: { value: index.sumTotalTermFreq },
    postings: { value: postings },
  }) as TextFieldIndex;
}

/** The number of postings of `list` below `maxDoc` (its docFreq as of then: postings are only appended). */
function postingsBelow(list: PostingList, maxDoc: number): number {
  let above = 0;
  if (list.pendingDoc >= maxDoc) {
    // Most lists have no document added since; otherwise count the newer ones (from the end).
    const docs = list.docs();
    for (let i = docs.length - 1; i >= 0 && docs[i] >= maxDoc; i--) above++;
  }
  return list.size - above;
}
