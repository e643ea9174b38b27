import fc from 'fast-check';
import { CJK_STOP_WORDS } from '../analysis/token-filters';
import { IndexStore } from './index-store';
import type { PostingList } from './posting-list';
import { TextFieldIndex } from './text-field-index';

/** Everything of a text field index that search reads, as plain data. */
function dump(index: TextFieldIndex | undefined, maxDoc: number) {
  if (!index) return undefined;
  const postings = [...index.postings].map(([term, l]: [string, PostingList]) => ({
    term, bytes: [...l.bytes.subarray(0, l.length)], size: l.size, pending: [l.pendingDoc, l.pendingFreq, l.pendingLength],
    blocks: l.blocks ? [...l.blocks.subarray(0, l.blockCount * 5)] : [], tail: [l.tailFirst, l.tailMaxFreq, l.tailMinLength],
    bounds: [l.maxFreq, l.minLength],
  }));
  return { docCount: index.docCount, sumTotalTermFreq: index.sumTotalTermFreq, lengths: [...index.lengths.subarray(0, maxDoc)], postings };
}

const VOCAB = ['the', 'a', 'and', 's', 'www', 'fox', 'dog', 'search', 'index', 'with', 'over', 'lazy', 'x1', '42'];
const termLists = fc.array(fc.array(fc.constantFrom(...VOCAB), { maxLength: 8 }), { maxLength: 3 });

describe('indexing a field and its cjk sub-field in one pass', () => {
  it('addWithSubField equals add on the field and add of the terms without stop words on the sub-field, across compactions', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(termLists, fc.constant('compact' as const)), { maxLength: 400 }), (docs) => {
        let [a, aSub] = [new TextFieldIndex(), new TextFieldIndex()];
        let [b, bSub] = [new TextFieldIndex(), new TextFieldIndex()];
        let doc = 0;
        for (const d of docs) {
          if (d === 'compact') {
            // Drops every third document, renumbering the rest: new lists, whose pairing must be made again.
            const remap = new Int32Array(doc).map((_, i) => (i % 3 === 0 ? -1 : i - Math.floor(i / 3) - 1));
            const kept = doc - Math.ceil(doc / 3);
            [a, aSub, b, bSub] = [a, aSub, b, bSub].map((x) => x.compacted(remap, kept));
            doc = kept;
            continue;
          }
          a.addWithSubField(doc, d, aSub, CJK_STOP_WORDS);
          b.add(doc, d);
          bSub.add(doc, d.map((terms) => terms.filter((t) => !CJK_STOP_WORDS.has(t))));
          doc++;
        }
        expect(dump(a, doc)).toEqual(dump(b, doc));
        expect(dump(aSub, doc)).toEqual(dump(bSub, doc));
      }),
      { numRuns: 300 },
    );
  });

  it('a store indexes standard + cjk text exactly as the same analysis chains defined as custom analyzers do', () => {
    const mappings = (std: string, cjk: string) => ({
      properties: { id: { type: 'keyword' }, content: { type: 'text', analyzer: std, fields: { cjk: { type: 'text', analyzer: cjk } } } },
    });
    const custom = {
      analysis: {
        filter: { cjk_stop: { type: 'stop', stopwords: [...CJK_STOP_WORDS] } },
        analyzer: {
          std_chain: { type: 'custom', tokenizer: 'standard', filter: ['lowercase'] },
          cjk_chain: { type: 'custom', tokenizer: 'standard', filter: ['cjk_width', 'lowercase', 'cjk_bigram', 'cjk_stop'] },
        },
      },
    };
    const words = ['The', 'quick', 'FOX', 'and', 's', "can't", '3.14', 'www', '北京', '天气很好', 'タワー', 'ｶﾞ', 'Ｆｕｌｌ', '안녕', 'café', 'e.g'];
    const value = fc.array(fc.constantFrom(...words), { maxLength: 10 }).map((w) => w.join(' '));
    const content = fc.oneof(value, value, fc.array(value, { maxLength: 3 }), fc.constant(null));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(20), content), { maxLength: 80 }), (writes) => {
        const fast = new IndexStore('fast', { settings: { refresh_interval: '-1' }, mappings: mappings('standard', 'cjk') });
        const chains = new IndexStore('chains', { settings: { refresh_interval: '-1', ...custom }, mappings: mappings('std_chain', 'cjk_chain') });
        try {
          writes.forEach(([n, c], i) => {
            for (const store of [fast, chains]) {
              store.write({ opType: 'index', id: `d${n}`, source: { id: `d${n}`, content: c } });
              if (i % 17 === 16) store.refresh();
            }
          });
          fast.refresh();
          chains.refresh();
          for (const path of ['content', 'content.cjk']) {
            expect(dump(fast.view.text.get(path), fast.view.maxDoc)).toEqual(dump(chains.view.text.get(path), chains.view.maxDoc));
          }
        } finally {
          fast.close();
          chains.close();
        }
      }),
      { numRuns: 200 },
    );
  });
});
