import { IndexStore } from './index-store';

describe('searchable view columns', () => {
  it('keeps a column without holes when its first value comes late and its values are sparse', () => {
    const store = new IndexStore('columns_test', {
      settings: { refresh_interval: '-1' },
      mappings: { properties: { n: { type: 'long' }, deleted_at: { type: 'date' }, tag: { type: 'keyword' } } },
    });
    // deleted_at first at doc 3,000, then on every 1,500th doc (V8 makes an array written past a gap of over 1024
    // slots a hash table); tag on the first doc only.
    for (let i = 0; i < 9_000; i++) {
      const source: Record<string, unknown> = { n: i };
      if (i >= 3_000 && i % 1_500 === 0) source.deleted_at = new Date(Date.UTC(2026, 0, 1) + i).toISOString();
      if (i === 0) source.tag = 'first';
      store.write({ opType: 'index', id: `d${i}`, source });
    }
    store.refresh();
    const view = store.view;
    const holes = (path: string) => {
      const column = view.columns.get(path) ?? [];
      let defined = 0;
      for (const key in column) if (Object.hasOwn(column, key)) defined++;
      return column.length - defined;
    };
    expect(view.columns.get('deleted_at')?.length).toBe(7_501);
    expect(holes('deleted_at')).toBe(0);
    expect(holes('n')).toBe(0);
    expect(view.columns.get('tag')?.length).toBe(1);
    // Values and "no value" read as before: a value on its doc only, undefined elsewhere.
    const deletedAt = view.columns.get('deleted_at') ?? [];
    expect(deletedAt[view.docOf('d4500') as number]).toBe(Date.UTC(2026, 0, 1) + 4_500);
    expect(deletedAt[view.docOf('d4501') as number]).toBeUndefined();
    expect(view.columnDocCount.get('deleted_at')).toBe(4);
    store.close();
  });
});
