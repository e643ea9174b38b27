import fc from 'fast-check';
import { OffsetTracker } from './offset-tracker';

describe('OffsetTracker', () => {
  it('commits only up to the highest contiguous finished offset', () => {
    const t = new OffsetTracker();
    t.track(['10', '11', '12', '13']);
    expect(t.commitPosition()).toBeNull();
    expect(t.finish('12')).toBe(false);
    expect(t.finish('13')).toBe(false);
    expect(t.commitPosition()).toBeNull();
    expect(t.finish('10')).toBe(true);
    expect(t.lastFinished()).toBe('10');
    expect(t.commitPosition()).toBe('11');
    expect(t.finish('11')).toBe(true);
    expect(t.lastFinished()).toBe('13');
    expect(t.commitPosition()).toBe('14');
    expect(t.outstanding).toBe(0);
  });

  it('handles gaps in offsets (compacted or filtered records) and offsets beyond 2^53', () => {
    const t = new OffsetTracker();
    t.track(['9007199254740993', '9007199254740999']);
    t.finish('9007199254740999');
    t.finish('9007199254740993');
    expect(t.commitPosition()).toBe('9007199254741000');
  });

  it('rejects unknown and out-of-order offsets', () => {
    const t = new OffsetTracker();
    t.track(['5', '6']);
    expect(() => t.finish('7')).toThrow(/not pending/);
    expect(() => t.track(['6'])).toThrow(/out of order/);
  });

  it('never passes an unfinished offset, whatever the finishing order (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(1000), { minLength: 1, maxLength: 50 }), fc.infiniteStream(fc.boolean()), (raw, coin) => {
        const offsets = [...raw].sort((a, b) => a - b).map(String);
        const t = new OffsetTracker();
        t.track(offsets);
        const order = [...offsets].sort(() => (coin.next().value ? 1 : -1));
        const done = new Set<string>();
        for (const o of order) {
          t.finish(o);
          done.add(o);
          const pos = t.commitPosition();
          const expectedContiguous = offsets.findIndex((x) => !done.has(x));
          const allUpTo = expectedContiguous === -1 ? offsets.length : expectedContiguous;
          expect(pos).toBe(allUpTo === 0 ? null : String(Number(offsets[allUpTo - 1]) + 1));
        }
      }),
    );
  });
});
