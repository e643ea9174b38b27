import type { PostingList } from './posting-list';
import type { SearchableView } from './searchable-view';
import type { TextFieldIndex } from './text-field-index';

/**
 * A frozen searchable view for a point in time: exactly the documents and the scoring statistics of the moment it
 * was opened, whatever is written, deleted, refreshed afterwards. The live view only ever appends (new doc numbers
 * above `maxDoc`, postings appended to the lists), flips live flags and, while a view is pinned, keeps the sources of
 * deleted documents and does not compact. So a snapshot needs only: `maxDoc`, a copy of the live flags, and the
 * statistics as of then (per field docCount and sumTotalTermFreq, per column doc counts, per term the number of
 * postings below `maxDoc`, computed on use). Everything else is read through to the live structures (prototype
 * delegation), where documents at or above `maxDoc` are never live in the copy.
 */
export function snapshotView(view: SearchableView): SearchableView {
  const maxDoc = view.maxDoc;
  const live = view.live.slice(0, maxDoc);
  const text = new Map<string, TextFieldIndex>();
  for (const [path, index] of view.text) text.set(path, snapshotTextIndex(index, maxDoc));
  const snapshot = Object.create(view, {
    maxDoc: { value: maxDoc },
    deleted: { value: view.deleted },
    live: { value: live },
    text: { value: text },
    columnDocCount: { value: new Map(view.columnDocCount) },
  }) as SearchableView;
  // The live view knows where an id is now; as of the snapshot it may have been elsewhere (updated since).
  Object.defineProperty(snapshot, 'docOf', {
    value: (id: string): number | undefined => {
      const now = view.docOf(id);
      if (now !== undefined && now < maxDoc && live[now]) return now;
      for (let d = 0; d < maxDoc; d++) if (live[d] && view.docIds[d] === id) return d;
      return undefined;
    },
  });
  return snapshot;
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
      for (const term of index.postings.keys()) if (postings.get(term)) yield term;
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
