import { LsnError } from './errors';

/**
 * PostgreSQL log sequence numbers: a 64-bit WAL byte position, printed by PostgreSQL as two hexadecimal halves `X/Y`
 * (high 32 bits / low 32 bits, no leading zeros, upper case), e.g. `16/B374D848`.
 */
const LSN_TEXT = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;
const MAX_LSN = (1n << 64n) - 1n;

/** `'X/Y'` -> bigint. Throws LsnError `LSN_INVALID` on anything else (no whitespace, at most 8 hex digits per half). */
export function parseLsn(text: string): bigint {
  const match = typeof text === 'string' ? LSN_TEXT.exec(text) : null;
  if (!match) {
    throw new LsnError('LSN_INVALID', `invalid LSN ${JSON.stringify(text)}: expected 'X/Y' with 1-8 hexadecimal digits on each side`);
  }
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

/** True when `text` is an LSN in PostgreSQL's `X/Y` form. */
export function isLsn(text: unknown): text is string {
  return typeof text === 'string' && LSN_TEXT.test(text);
}

/** bigint -> `'X/Y'` in upper-case hexadecimal, as PostgreSQL prints it. Throws `LSN_INVALID` outside 0..2^64-1. */
export function formatLsn(lsn: bigint): string {
  assertInRange(lsn);
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** Orders two LSNs given as `X/Y` text or bigint: -1 when a < b, 0 when equal, 1 when a > b. */
export function compareLsn(a: string | bigint, b: string | bigint): -1 | 0 | 1 {
  const x = toBigint(a);
  const y = toBigint(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The Elasticsearch external version for an LSN. Exact or nothing: JavaScript numbers represent integers exactly only up
 * to 2^53-1, so a larger LSN throws `LSN_VERSION_RANGE` instead of being rounded (a rounded version could order two
 * writes wrongly). 2^53 bytes of WAL is 8 PiB, far beyond any real server's lifetime.
 */
export function lsnToEsVersion(lsn: bigint): number {
  assertInRange(lsn);
  if (lsn > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new LsnError('LSN_VERSION_RANGE', `LSN ${formatLsn(lsn)} is above 2^53-1 and cannot be an exact Elasticsearch version`);
  }
  return Number(lsn);
}

function toBigint(value: string | bigint): bigint {
  if (typeof value === 'bigint') {
    assertInRange(value);
    return value;
  }
  return parseLsn(value);
}

function assertInRange(lsn: bigint): void {
  if (typeof lsn !== 'bigint' || lsn < 0n || lsn > MAX_LSN) {
    throw new LsnError('LSN_INVALID', `invalid LSN ${String(lsn)}: expected an integer in 0..2^64-1`);
  }
}
