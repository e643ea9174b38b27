import { purgeQuery } from './tombstone-purger';

describe('purgeQuery', () => {
  it('selects only tombstones written before now minus the horizon', () => {
    const q = purgeQuery(24 * 3600_000, new Date('2026-01-02T12:00:00.000Z'));
    expect(q).toEqual({
      bool: { filter: [{ term: { deleted: true } }, { range: { deleted_at: { lt: '2026-01-01T12:00:00.000Z' } } }] },
    });
  });
});
