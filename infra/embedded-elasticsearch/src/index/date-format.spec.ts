import fc from 'fast-check';
import { parseDate, parseDateMath } from './date-format';

describe('date parsing (strict_date_optional_time||epoch_millis)', () => {
  it('reads ISO 8601 in UTC unless an offset is given, and epoch millis', () => {
    expect(parseDate('2026-01-02T03:04:05.678Z')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
    expect(parseDate('2026-01-02T03:04:05Z')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(parseDate('2026-01-02T03:04:05')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(parseDate('2026-01-02')).toBe(Date.UTC(2026, 0, 2));
    expect(parseDate('2026-01-02T03:04:05+02:00')).toBe(Date.UTC(2026, 0, 2, 1, 4, 5));
    expect(parseDate(1767225600000)).toBe(1767225600000);
    expect(parseDate('1767225600000')).toBe(1767225600000);
    expect(parseDate('yesterday')).toBeNull();
    expect(parseDate('2026-13-01')).toBeNull();
  });

  it('applies date math with rounding', () => {
    const now = Date.UTC(2026, 0, 15, 12, 30);
    expect(parseDateMath('now-1d', false, now)).toBe(Date.UTC(2026, 0, 14, 12, 30));
    expect(parseDateMath('now/d', false, now)).toBe(Date.UTC(2026, 0, 15));
    expect(parseDateMath('now/d', true, now)).toBe(Date.UTC(2026, 0, 16) - 1);
    expect(parseDateMath('2026-01-01||+1M', false, now)).toBe(Date.UTC(2026, 1, 1));
  });

  it('reads full UTC timestamps (toISOString) exactly as Date.parse does, days past the month end included', () => {
    const two = (min: number, max: number) => fc.integer({ min, max }).map((n) => String(n).padStart(2, '0'));
    const stamp = fc.tuple(fc.integer({ min: 0, max: 9999 }).map((y) => String(y).padStart(4, '0')), two(1, 12), two(1, 31), two(0, 23), two(0, 59), two(0, 59), fc.integer({ min: 0, max: 999 }).map((n) => String(n).padStart(3, '0')))
      .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
    fc.assert(fc.property(stamp, (v) => expect(parseDate(v)).toBe(Date.parse(v))), { numRuns: 2000 });
    for (const v of ['2024-02-29T00:00:00.000Z', '2026-02-29T23:59:59.999Z', '2026-04-31T12:00:00.000Z', '0050-06-15T00:00:00.000Z', '1969-12-31T23:59:59.999Z']) {
      expect(parseDate(v)).toBe(Date.parse(v));
    }
  });
});
