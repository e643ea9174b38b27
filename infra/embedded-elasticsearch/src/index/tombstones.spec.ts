import { IndexStore } from './index-store';

/** Delete tombstones: they block older versioned writes for `index.gc_deletes`, then pruning forgets them (and only them). */
describe('tombstone pruning', () => {
  afterEach(() => jest.restoreAllMocks());

  it('forgets expired tombstones at refresh, keeps rewritten and live documents', () => {
    const store = new IndexStore('tombstones_test', { settings: { refresh_interval: '-1', 'index.gc_deletes': '60s' }, mappings: { properties: { n: { type: 'long' } } } });
    const write = (opType: 'index' | 'delete', id: string, version: number) =>
      store.write({ opType, id, version, versionType: 'external', ...(opType === 'index' ? { source: { n: version } } : {}) });
    const entries = () => (store as unknown as { live: Map<string, unknown> }).live.size;
    for (const id of ['a', 'b', 'c', 'd']) write('index', id, 10);
    store.refresh();
    write('delete', 'b', 11);
    write('delete', 'c', 11);
    write('index', 'c', 12); // no longer a tombstone
    write('delete', 'x', 5); // a tombstone for a document that never existed
    store.refresh();
    expect(entries()).toBe(5);
    expect(() => write('index', 'b', 3)).toThrow(/version conflict/);

    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 61_000);
    store.refresh();
    expect(entries()).toBe(3); // a, c, d
    expect(write('index', 'b', 3).result).toBe('created');
    expect(write('index', 'x', 1).result).toBe('created');
    expect(() => write('index', 'c', 11)).toThrow(/version conflict/);
    store.refresh();
    expect(store.docCount).toBe(5);
    store.close();
  });
});
