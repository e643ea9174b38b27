import { executeSearch, parseSearchRequest } from '../search/search-executor';
import { IndexStore } from './index-store';

/** The periodic refresh analyses in slices, yielding to requests, and publishes its writes all at once. */
const WORDS = ['red', 'fox', 'blue', 'whale', 'green', 'tree', 'grey', 'cloud', '北京', '天气'];
const text = (i: number) => Array.from({ length: 60 }, (_, k) => WORDS[(i * 7 + k * 3) % WORDS.length]).join(' ');

function newStore(settings: Record<string, unknown> = {}) {
  return new IndexStore('refresh_test', { settings: { refresh_interval: '-1', ...settings }, mappings: { properties: { text: { type: 'text' }, n: { type: 'long' } } } });
}

function hits(store: IndexStore, query: Record<string, unknown> = { match_all: {} }): Array<{ id: string; n: unknown }> {
  const res = executeSearch([store], parseSearchRequest({ query, size: 10_000, track_total_hits: true }, new URLSearchParams()));
  return (res.hits as { hits: Array<{ _id: string; _source: { n: unknown } }> }).hits.map((h) => ({ id: h._id, n: h._source.n }));
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

  it('refreshes a bulk load (more than 2,000 writes) in one step, so analysed documents never pile up', async () => {
    const store = newStore();
    for (let i = 0; i < 2_001; i++) store.write({ opType: 'index', id: `d${i}`, source: { text: text(i), n: i } });
    expect(await periodicRefresh(store)).toBe(0);
    expect(hits(store)).toHaveLength(2_001);
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
