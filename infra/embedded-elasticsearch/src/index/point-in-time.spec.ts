import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { executeSearch, parseSearchRequest } from '../search/search-executor';
import { PitRegistry } from '../search/pit-registry';
import { IndexStore } from './index-store';

/** What open points in time cost: not a copy of the index's live flags each, only what changed since they opened. */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const WORDS = ['red', 'fox', 'blue', 'whale', 'green', 'tree', 'grey', 'cloud'];

function retained(): number {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

describe('point in time memory', () => {
  it('2,000 open points in time over 50,000 documents add little heap; compaction proceeds under them and the log empties with the last', () => {
    const store = new IndexStore('pit_memory', { settings: { refresh_interval: '-1' }, mappings: { properties: { text: { type: 'text' }, tag: { type: 'keyword' } } } });
    const registry = new PitRegistry();
    try {
      for (let i = 0; i < 50_000; i++) store.write({ opType: 'index', id: `d${i}`, source: { text: `${WORDS[i % 8]} ${WORDS[(i * 7) % 8]}`, tag: `t${i % 10}` } });
      store.refresh();
      const query = parseSearchRequest({ query: { match: { text: 'red fox' } }, size: 10 }, new URLSearchParams());
      executeSearch([store], query); // scratch buffers sized once, outside the measurement
      const before = retained();
      const tagged = parseSearchRequest({ query: { term: { tag: 't0' } }, size: 0, track_total_hits: true }, new URLSearchParams());
      const total = (pit?: (typeof pits)[number]) =>
        (executeSearch([store], tagged, pit ? { pitViews: pit.views } : {}).hits as { total: { value: number } }).total.value;
      const pits: Array<ReturnType<typeof registry.open>> = [];
      let lastTotal = 0;
      for (let i = 0; i < 2000; i++) {
        if (i === 1999) lastTotal = total();
        const pit = registry.open([store], 60_000);
        if (i % 10 === 0) executeSearch([store], query, { pitViews: pit.views });
        pits.push(pit);
        // Some churn between openings, as under live indexing: 10 deletes and 10 updates per 100 points in time.
        if (i % 100 === 99) {
          for (let k = 0; k < 10; k++) store.write({ opType: 'delete', id: `d${i * 20 + k}` });
          for (let k = 10; k < 20; k++) store.write({ opType: 'index', id: `d${i * 20 + k}`, source: { text: 'red red', tag: 't0' } });
          store.refresh();
        }
      }
      const perPit = (retained() - before) / pits.length;
      // A copy of the live flags would be 50,000 bytes each; a point in time holds its id, a few small objects per
      // field and its cached term statistics (measured ~2.5 KB, including the documents the churn added).
      expect(perPit).toBeLessThan(5_000);
      expect(store.view.pinnedLogLength).toBe(400); // 200 deletes + 200 updates since the first opened

      // The first still sees what it saw, the last what it saw (the churn until then), the index now all of it.
      expect(total(pits[0])).toBe(5000);
      expect(lastTotal).toBe(5000 + 19 * (9 - 1));
      expect(total(pits[1999])).toBe(lastTotal);
      expect(total()).toBe(5000 + 20 * (9 - 1));

      // Compaction proceeds while points in time are open: they keep reading the structures of their moment (retired
      // to a view of their own, as Lucene readers keep merged-away segments), dropped once the last of them closes.
      const compactions = store.view.compactions;
      for (let i = 0; i < 20_000; i++) store.write({ opType: 'delete', id: `d${i * 2 + 1}` });
      store.refresh();
      expect(store.view.compactions).toBe(compactions + 1);
      expect(store.view.deleted).toBe(0);
      expect(total(pits[0])).toBe(5000);
      expect(total(pits[1999])).toBe(lastTotal);
      const ids = parseSearchRequest({ query: { ids: { values: ['d1', 'd3', 'd39978'] } } }, new URLSearchParams());
      const idsOf = (pit?: (typeof pits)[number]) => (executeSearch([store], ids, pit ? { pitViews: pit.views } : {}).hits as { hits: Array<{ _id: string }> }).hits.map((h) => h._id);
      expect(idsOf(pits[0])).toEqual(['d1', 'd3', 'd39978']);
      expect(idsOf()).toEqual(['d39978']);
      expect(pits[0].views[0]['generation'].view).not.toBe(store.view); // retired for those opened before
      for (const pit of pits) registry.close(pit.id);
      expect(store.view.pinnedLogLength).toBe(0);
      const fresh = registry.open([store], 60_000);
      expect(total(fresh)).toBe(total());
      registry.close(fresh.id);
    } finally {
      registry.closeAll();
      store.close();
    }
  });
});
