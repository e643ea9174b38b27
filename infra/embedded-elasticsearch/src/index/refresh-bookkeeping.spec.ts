import fc from 'fast-check';
import { executeSearch, parseSearchRequest } from '../search/search-executor';
import { IndexStore } from './index-store';

/**
 * The refresh bookkeeping (each written entry queued once per refresh generation, no id lookups) against a model:
 * after any sequence of versioned writes, deletes and refreshes, search shows exactly the latest live version of
 * every document as of the last refresh, and realtime get the latest write.
 */
type Op = { kind: 'index' | 'delete'; id: number; version: number; n: number } | { kind: 'refresh' } | { kind: 'periodic' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('index' as const), id: fc.nat(7), version: fc.nat(6), n: fc.nat(1000) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), id: fc.nat(7), version: fc.nat(6), n: fc.constant(0) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'refresh' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'periodic' as const }) },
);

function searchIds(store: IndexStore): Record<string, number> {
  const res = executeSearch([store], parseSearchRequest({ query: { match: { text: 'word' } }, size: 100 }, new URLSearchParams()));
  const out: Record<string, number> = {};
  for (const h of (res.hits as { hits: Array<{ _id: string; _source: { n: number } }> }).hits) out[h._id] = h._source.n;
  return out;
}

describe('refresh bookkeeping', () => {
  it('search shows the latest live version as of the last refresh, get the latest write, for any write sequence', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 60 }), async (ops) => {
        const store = new IndexStore('bookkeeping', { settings: { refresh_interval: '-1' }, mappings: { properties: { id: { type: 'keyword' }, text: { type: 'text' }, n: { type: 'long' } } } });
        const latest = new Map<string, { version: number; n: number | null }>();
        let visible: Record<string, number> = {};
        const snapshot = () => {
          visible = {};
          for (const [id, d] of latest) if (d.n !== null) visible[id] = d.n;
        };
        try {
          for (const o of ops) {
            if (o.kind === 'refresh' || o.kind === 'periodic') {
              if (o.kind === 'refresh') store.refresh();
              else await (store as unknown as { periodicRefresh(): Promise<void> }).periodicRefresh();
              snapshot();
              expect(searchIds(store)).toEqual(visible);
              continue;
            }
            const id = `doc-${o.id}`;
            const cur = latest.get(id);
            const accepted = !cur || cur.version <= o.version;
            const write = () => store.write({
              opType: o.kind, id, version: o.version, versionType: 'external_gte',
              ...(o.kind === 'index' ? { source: { id, text: `word ${o.n}`, n: o.n } } : {}),
            });
            if (accepted) {
              write();
              latest.set(id, { version: o.version, n: o.kind === 'index' ? o.n : null });
            } else {
              expect(write).toThrow(/version_conflict_engine_exception/);
            }
            const got = store.get(id);
            const want = latest.get(id);
            expect(got ? got.source.n : null).toEqual(want?.n ?? null);
            // Not visible before a refresh.
            expect(searchIds(store)).toEqual(visible);
          }
          store.refresh();
          snapshot();
          expect(searchIds(store)).toEqual(visible);
          expect(store.docCount).toBe(Object.keys(visible).length);
        } finally {
          store.close();
        }
      }),
      { numRuns: 300 },
    );
  });
});
