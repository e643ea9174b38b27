import { LsnError } from './errors';
import { compareLsn, formatLsn, isLsn, lsnToEsVersion, parseLsn } from './lsn';

describe('LSN helpers', () => {
  it.each([
    ['0/0', 0n],
    ['0/1', 1n],
    ['16/B374D848', (0x16n << 32n) + 0xb374d848n],
    ['1/0', 1n << 32n],
    ['FFFFFFFF/FFFFFFFF', (1n << 64n) - 1n],
    ['0/16B3748', 23803720n],
  ])('parses and formats %s', (text, value) => {
    expect(parseLsn(text)).toBe(value);
    expect(formatLsn(value)).toBe(text);
  });

  it('accepts lower-case hex and formats upper case, as PostgreSQL prints', () => {
    expect(formatLsn(parseLsn('16/b374d848'))).toBe('16/B374D848');
  });

  it.each(['', '0', '/', '0/', '/0', '1/2/3', 'G/0', '0/-1', ' 0/1', '0/1 ', '123456789/0', '0/123456789', '0x1/0'])(
    'rejects %j with LSN_INVALID',
    (text) => {
      expect(isLsn(text)).toBe(false);
      expect(() => parseLsn(text)).toThrow(LsnError);
      try {
        parseLsn(text);
      } catch (err) {
        expect(err).toMatchObject({ code: 'LSN_INVALID', retryable: false });
      }
    },
  );

  it('rejects non-strings and out-of-range bigints', () => {
    expect(() => parseLsn(42 as unknown as string)).toThrow(LsnError);
    expect(() => formatLsn(-1n)).toThrow(/0\.\.2\^64-1/);
    expect(() => formatLsn(1n << 64n)).toThrow(LsnError);
  });

  it('compares text and bigint forms numerically, not lexically', () => {
    expect(compareLsn('0/9', '0/10')).toBe(-1); // 9 < 16
    expect(compareLsn('A/0', '9/FFFFFFFF')).toBe(1);
    expect(compareLsn('16/B374D848', (0x16n << 32n) + 0xb374d848n)).toBe(0);
    expect(compareLsn(5n, '0/4')).toBe(1);
    expect(() => compareLsn('nope', '0/1')).toThrow(LsnError);
  });

  it('converts to an exact Elasticsearch version', () => {
    expect(lsnToEsVersion(0n)).toBe(0);
    expect(lsnToEsVersion(parseLsn('16/B374D848'))).toBe(0x16b374d848);
    const max = BigInt(Number.MAX_SAFE_INTEGER);
    expect(lsnToEsVersion(max)).toBe(Number.MAX_SAFE_INTEGER);
    expect(BigInt(lsnToEsVersion(max - 1n))).toBe(max - 1n);
  });

  it('refuses versions that a JavaScript number cannot hold exactly', () => {
    const tooBig = BigInt(Number.MAX_SAFE_INTEGER) + 1n;
    expect(() => lsnToEsVersion(tooBig)).toThrow(expect.objectContaining({ code: 'LSN_VERSION_RANGE' }));
    expect(() => lsnToEsVersion(parseLsn('FFFFFFFF/FFFFFFFF'))).toThrow(expect.objectContaining({ code: 'LSN_VERSION_RANGE' }));
    expect(() => lsnToEsVersion(-1n)).toThrow(expect.objectContaining({ code: 'LSN_INVALID' }));
  });
});
