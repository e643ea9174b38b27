import fc from 'fast-check';
import { LastDateCache, parseDate, parseDateMath, parseIsoByPattern } from './date-format';

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

  it('reads date-times without the regex exactly as the regex reading does, for any fraction, zone or field value', () => {
    // Mostly in range (so that most cases have a value), sometimes anything up to 99.
    const two = (max = 99) => fc.oneof({ arbitrary: fc.integer({ min: 0, max }), weight: 5 }, { arbitrary: fc.integer({ min: 0, max: 99 }), weight: 1 })
      .map((n) => String(n).padStart(2, '0'));
    const fraction = fc.oneof(fc.constant(''), fc.tuple(fc.constantFrom('.', ','), fc.stringMatching(/^\d{0,11}$/)).map(([sep, d]) => sep + d));
    const zone = fc.oneof(fc.constantFrom('', 'Z', 'z', 'X', '+', '+1', '+12:3', '+12:', '-0', ' '),
      fc.tuple(fc.constantFrom('+', '-'), two(), fc.constantFrom('', ':'), two()).map(([sign, h, colon, m]) => sign + h + colon + m),
      fc.tuple(fc.constantFrom('+', '-'), two()).map(([sign, h]) => sign + h));
    const stamp = fc.tuple(fc.integer({ min: 0, max: 9999 }).map((y) => String(y).padStart(4, '0')), two(12), two(31), two(23), two(59), two(59), fraction, zone)
      .map(([y, mo, d, h, mi, s, f, z]) => `${y}-${mo}-${d}T${h}:${mi}:${s}${f}${z}`);
    // Any one character replaced, dropped or doubled.
    const mutated = fc.tuple(stamp, fc.nat(), fc.constantFrom('0', '9', '-', ':', 'T', ' ', '.', ',', 'Z', '+', 'x', '', 'dup'))
      .map(([v, at, c]) => {
        const i = at % v.length;
        return v.slice(0, i) + (c === 'dup' ? v[i] + v[i] : c) + v.slice(i + 1);
      });
    fc.assert(fc.property(fc.oneof(stamp, mutated), (v) => expect(parseDate(v)).toBe(parseIsoByPattern(v))), { numRuns: 5000 });
    expect(parseDate('2026-11-26T15:28:00.123456+00:00')).toBe(Date.UTC(2026, 10, 26, 15, 28, 0, 123));
    expect(parseDate('2026-11-26T15:28:00.123456Z')).toBe(Date.UTC(2026, 10, 26, 15, 28, 0, 123));
    expect(parseDate('2026-11-26T15:28:00.1-05:30')).toBe(Date.UTC(2026, 10, 26, 20, 58, 0, 100));
  });

  it('reads years 0-99 as written, in every form (Date.UTC alone would read them as 1900-1999)', () => {
    expect(parseDate('0050-06-15T00:00:00Z')).toBe(Date.parse('0050-06-15T00:00:00.000Z'));
    expect(parseDate('0050-06-15')).toBe(Date.parse('0050-06-15T00:00:00.000Z'));
    expect(parseDate('0000-02-29T12:00:00+01:00')).toBe(Date.parse('0000-02-29T11:00:00.000Z'));
    expect(parseDate('0099-12-31T23:59:59.999Z')).toBe(Date.parse('0099-12-31T23:59:59.999Z'));
  });

  it('LastDateCache returns what parseDate returns, for any sequence of values', () => {
    // Near-identical texts (one digit, the zone, the fraction's length), invalid ones, numbers and other types,
    // each sometimes as a fresh string with the same characters.
    const pool = ['2026-11-26T15:28:00.123456Z', '2026-11-26T15:28:00.123457Z', '2026-11-26T15:28:00.123456+00:00', '2026-11-26T15:28:00.123456+01:00',
      '2026-11-26T15:28:00.12345+00:00', '2026-11-26T15:28:00.000Z', '2026-11-26T15:28:01.000Z', '2026-11-26', '2026-11-27', '2026-13-26',
      'yesterday', '', '1767225600000', '1767225600001', '0050-06-15T00:00:00.000Z'];
    const value = fc.oneof(
      fc.constantFrom(...pool),
      fc.constantFrom(...pool).map((v) => v.split('').join('')),
      fc.constantFrom<unknown>(1767225600000, 1.5, Number.NaN, null, undefined, true, {}),
    );
    fc.assert(fc.property(fc.array(value, { maxLength: 40 }), (values) => {
      const cache = new LastDateCache();
      for (const v of values) expect(cache.parse(v)).toBe(parseDate(v));
    }), { numRuns: 2000 });
  });
});
