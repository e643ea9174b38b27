import { ProducerStateTable } from './producer-state';

describe('ProducerStateTable (idempotent producer sequence checks)', () => {
  it('accepts in-order batches, answers duplicates with the original offset, refuses gaps and old epochs', () => {
    const t = new ProducerStateTable();
    expect(t.check(7, 0, 0, 3)).toEqual({ kind: 'append' });
    t.record(7, 0, 0, 3, 100);
    expect(t.check(7, 0, 3, 2)).toEqual({ kind: 'append' });
    t.record(7, 0, 3, 2, 103);
    expect(t.check(7, 0, 0, 3)).toEqual({ kind: 'duplicate', baseOffset: 100 });
    expect(t.check(7, 0, 3, 2)).toEqual({ kind: 'duplicate', baseOffset: 103 });
    expect(t.check(7, 0, 6, 1)).toMatchObject({ kind: 'error', errorCode: 45 });
    expect(t.check(7, 1, 0, 1)).toEqual({ kind: 'append' });
    t.record(7, 1, 0, 1, 105);
    expect(t.check(7, 0, 5, 1)).toMatchObject({ kind: 'error', errorCode: 47 });
    expect(t.check(8, 0, 4, 1)).toMatchObject({ kind: 'error', errorCode: 45 });
  });
});
