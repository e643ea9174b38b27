import { executeSearch, parseSearchRequest } from '../search/search-executor';
import { IndexStore } from './index-store';

/** The periodic refresh applies its writes in slices, yielding to requests, and publishes them all at once. */
const WORDS = ['red', 'fox', 'blue', 'whale', 'green', 'tree', 'grey', 'cloud', '北京', '天气'];
const text = (i: number) => Array.from({ length: 60 }, (_, k) => WORDS[(i * 7 + k * 3) % WORDS.length]).join(' ');

function newStore(settings: Record<string, unknown> = {}) {
  return new IndexStore('refresh_test', { settings: { refresh_interval: '-1', ...settings }, mappings: { properties: { text: { type: 'text' }, n: { type: 'long' } } } });
}

function hits(store: IndexStore, query: Record<string, unknown> = { match_all: {} }): Array<{ id: string; n: unknown }> {
  const res = executeSearch([store], parseSearchRequest({ query, size: 10_000, track_total_hits: true }, new URLSearchParams()));
  return (res.hits as { hits: Array<{ _id: string; _source: { n: unknown } }> }).hits.map((h) => ({ id: h._id, n: h._source.n }));
}

function total(store: IndexStore, query: Record<string, unknown> = { match_all: {} }): number {
  const res = executeSearch([store], parseSearchRequest({ query, size: 0, track_total_hits: true }, new URLSearchParams()));
  return (res.hits as { total: { value: number } }).total.value;
}

/** Runs the periodic refresh, calling `between` at every point where it yields to other requests. */
async function periodicRefresh(store: IndexStore, between: () => void = () => undefined): Promise<number> {
  let yields = 0;
  let done = false;
  const run = (store as unknown as { periodicRefresh(): Promise<void> }).periodicRefresh().then(() => void (done = true));
  while (!done) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (!done) {
      yields++;
      between();
    }
  }
  await run;
  return yields;
}

describe('periodic refresh', () => {
  it('yields to requests while it analyses, and a search sees all of its writes or none', async () => {
    const store = newStore();
    for (let i = 0; i < 2_000; i++) store.write({ opType: 'index', id: `d${i}`, source: { text: text(i), n: i } });
    const seen: number[] = [];
    const yields = await periodicRefresh(store, () => seen.push(hits(store).length));
    expect(yields).toBeGreaterThan(1);
    expect(seen.every((n) => n === 0)).toBe(true);
    expect(hits(store)).toHaveLength(2_000);
    expect(hits(store, { match: { text: 'whale' } }).length).toBeGreaterThan(0);
  });

  it('refreshes a bulk load in slices too, each at least as long as the requests that ran before it', async () => {
    const store = newStore();
    for (let i = 0; i < 20_000; i++) store.write({ opType: 'index', id: `d${i}`, source: { text: text(i), n: i } });
    // Each "request" between two slices runs 15 ms and writes more documents; the slices measured from outside.
    const marks: Array<[start: number, end: number]> = [];
    let written = 0;
    const yields = await periodicRefresh(store, () => {
      const start = performance.now();
      while (performance.now() - start < 15) store.write({ opType: 'index', id: `late${written++}`, source: { text: text(written), n: -1 } });
      marks.push([start, performance.now()]);
    });
    expect(yields).toBeGreaterThan(1);
    expect(total(store)).toBe(20_000);
    // Slice k runs from the end of request k-1 to the start of request k; every slice but the first (4 ms) and the
    // last (its work ran out) lasts at least as long as the request before it.
    for (let k = 2; k < marks.length; k++) expect(marks[k][0] - marks[k - 1][1]).toBeGreaterThanOrEqual(marks[k - 1][1] - marks[k - 1][0]);
    store.refresh();
    expect(total(store)).toBe(20_000 + written);
  });

  it('lets search read the index as of the refresh before while it applies: old versions, deleted documents, statistics', async () => {
    const store = newStore();
    for (let i = 0; i < 10_000; i++) store.write({ opType: 'index', id: `d${i}`, source: { text: text(i), n: i } });
    store.refresh();
    const whale = () => executeSearch([store], parseSearchRequest({ query: { match: { text: 'whale' } }, size: 5 }, new URLSearchParams())).hits;
    const before = whale();
    const beforeDocs = store.searchableDocs;
    for (let i = 0; i < 10_000; i += 2) store.write({ opType: 'index', id: `d${i}`, source: { text: 'whale whale', n: i + 100_000 } });
    for (let i = 1; i < 10_000; i += 4) store.write({ opType: 'delete', id: `d${i}` });
    for (let i = 0; i < 1_000; i++) store.write({ opType: 'index', id: `new${i}`, source: { text: 'whale', n: -1 } });
    const some = { ids: { values: ['d0', 'd1', 'd2', 'd3', 'new0', 'new999'] } };
    let checks = 0;
    await periodicRefresh(store, () => {
      checks++;
      expect(hits(store, some)).toEqual([{ id: 'd0', n: 0 }, { id: 'd1', n: 1 }, { id: 'd2', n: 2 }, { id: 'd3', n: 3 }]);
      expect(total(store)).toBe(10_000);
      expect(store.searchableDocs).toEqual(beforeDocs);
      expect(whale()).toEqual(before);
    });
    // At least one search ran mid-refresh (how many depends on the machine: each slice lasts as long as the searches
    // before it, so on a loaded machine the second slice may finish the refresh).
    expect(checks).toBeGreaterThanOrEqual(1);
    expect(hits(store, some).sort((a, b) => a.id.localeCompare(b.id))).toEqual([{ id: 'd0', n: 100_000 }, { id: 'd2', n: 100_002 }, { id: 'd3', n: 3 }, { id: 'new0', n: -1 }, { id: 'new999', n: -1 }]);
    expect(total(store)).toBe(10_000 - 2_500 + 1_000);
    expect(total(store, { range: { n: { gte: 100_000 } } })).toBe(5_000);
    expect(store.searchableDocs.count).toBe(8_500);
  });

  it('is completed first when a point in time is opened during it', async () => {
    const store = newStore();
    for (let i = 0; i < 3_000; i++) store.write({ opType: 'index', id: `d${i}`, source: { text: text(i), n: i } });
    let pit: ReturnType<IndexStore['pin']> | undefined;
    await periodicRefresh(store, () => (pit ??= store.pin()));
    expect(pit?.maxDoc).toBe(3_000);
    expect(hits(store)).toHaveLength(3_000);
    pit?.release();
  });

  it('leaves writes made during it, and their wait_for writers, to the next refresh', async () => {
    const store = newStore();
    for (let i = 0; i < 2_000; i++) store.write({ opType: 'index', id: `d${i}`, source: { text: text(i), n: i } });
    const early = store.waitForRefresh();
    let lateVisible = false;
    let late: Promise<void> | undefined;
    let earlyDone = false;
    void early.then(() => (earlyDone = true));
    await periodicRefresh(store, () => {
      if (late) return;
      store.write({ opType: 'index', id: 'late', source: { text: 'late write', n: -1 } });
      late = store.waitForRefresh().then(() => void (lateVisible = hits(store).some((h) => h.id === 'late')));
    });
    await early;
    expect(earlyDone).toBe(true);
    expect(hits(store)).toHaveLength(2_000);
    expect(hits(store).some((h) => h.id === 'late')).toBe(false);
    store.refresh();
    await late;
    expect(lateVisible).toBe(true);
  });

  it('shows the newest version of a document rewritten or deleted while it was being analysed, once', async () => {
    const store = newStore({ 'index.gc_deletes': '0ms' });
    for (let i = 0; i < 2_000; i++) store.write({ opType: 'index', id: `d${i}`, source: { text: text(i), n: i } });
    store.refresh();
    for (let i = 0; i < 2_000; i++) store.write({ opType: 'index', id: `d${i}`, source: { text: text(i + 1), n: i + 10_000 } });
    let touched = false;
    await periodicRefresh(store, () => {
      if (touched) return;
      touched = true;
      store.write({ opType: 'index', id: 'd1', source: { text: 'rewritten', n: 99_999 } });
      store.write({ opType: 'delete', id: 'd2' });
    });
    // Right after it (the rewrite and the delete are also pending) and after the next refresh: the same answers.
    for (const next of [() => undefined, () => store.refresh()]) {
      next();
      const all = hits(store);
      expect(all).toHaveLength(1_999);
      expect(all.filter((h) => h.id === 'd1')).toEqual([{ id: 'd1', n: 99_999 }]);
      expect(hits(store, { match: { text: 'rewritten' } }).map((h) => h.id)).toEqual(['d1']);
      expect(all.some((h) => h.id === 'd2')).toBe(false);
      expect(all.find((h) => h.id === 'd3')?.n).toBe(10_003);
    }
  });

  it('is completed at once by an explicit refresh, which makes every write visible', async () => {
    const store = newStore();
    for (let i = 0; i < 2_000; i++) store.write({ opType: 'index', id: `d${i}`, source: { text: text(i), n: i } });
    let explicit = false;
    await periodicRefresh(store, () => {
      if (explicit) return;
      explicit = true;
      store.write({ opType: 'index', id: 'extra', source: { text: 'extra', n: 0 } });
      store.refresh();
      expect(hits(store)).toHaveLength(2_001);
    });
    expect(explicit).toBe(true);
    expect(hits(store)).toHaveLength(2_001);
    expect(store.view.numDocs).toBe(2_001);
  });
});
