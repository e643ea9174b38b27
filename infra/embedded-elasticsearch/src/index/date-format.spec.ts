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
});
