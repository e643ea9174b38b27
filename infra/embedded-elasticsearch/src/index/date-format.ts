import { EsError } from '../http/es-error';

const UTC_MILLIS = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;
const ISO = /^([+-]?\d{4,})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?$/;

/**
 * Parses a value of a `date` field with the default format `strict_date_optional_time||epoch_millis`:
 * ISO 8601 (UTC when no offset is given) or a number of milliseconds since the epoch. Returns epoch millis or null.
 */
export function parseDate(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : null;
  if (typeof value !== 'string') return null;
  // The common case, a full UTC timestamp as JavaScript's toISOString() prints it.
  if (value.length === 24 && UTC_MILLIS.test(value)) return utcMillis(value);
  if (/^-?\d+$/.test(value) && value.length !== 4) return Number(value);
  const m = ISO.exec(value);
  if (!m) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', frac = '', zone] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(frac.padEnd(3, '0').slice(0, 3)));
  if (Number.isNaN(ms) || Number(mo) > 12 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0')) * 60_000;
  }
  return ms;
}

/**
 * A string matching UTC_MILLIS to epoch millis, as Date.parse reads it (a day past the month's end rolls over, as
 * there), from its digits: Date.parse costs ~170 ns, this ~20, and indexing reads three dates per message document
 * twice (validated at the write, extracted at refresh).
 */
function utcMillis(v: string): number {
  const year = digits(v, 0, 4);
  // Date.UTC reads years 0-99 as 1900-1999.
  if (year < 100) return Date.parse(v);
  return Date.UTC(year, digits(v, 5, 2) - 1, digits(v, 8, 2), digits(v, 11, 2), digits(v, 14, 2), digits(v, 17, 2), digits(v, 20, 3));
}

/**
 * The decimal number of `count` ASCII digits of `v` from `at`. A module-level function, not a closure in `utcMillis`:
 * under tsx (esbuild `keepNames`) every closure creation also calls `__name`, an `Object.defineProperty` (~8 % of the
 * server's CPU while bulk indexing, when this was a closure).
 */
function digits(v: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) n = n * 10 + v.charCodeAt(i) - 48;
  return n;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, H: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Date math as range queries accept it: `now`, `now-1d`, `now+2h/d`, or a date followed by `||` and math. */
export function parseDateMath(value: unknown, roundUp: boolean, now = Date.now()): number {
  if (typeof value === 'string' && (value.startsWith('now') || value.includes('||'))) {
    let base: number;
    let rest: string;
    if (value.startsWith('now')) {
      base = now;
      rest = value.slice(3);
    } else {
      const [date, math] = value.split('||');
      const parsed = parseDate(date);
      if (parsed === null) throw failedToParseDate(value);
      base = parsed;
      rest = math;
    }
    const re = /([+-]\d+[yMwdhHms])|(\/[yMwdhHms])/gy;
    let m: RegExpExecArray | null;
    let pos = 0;
    while ((m = re.exec(rest))) {
      pos = re.lastIndex;
      if (m[1]) base = addUnit(base, Number(m[1].slice(0, -1)), m[1].slice(-1));
      else base = round(base, m[2].slice(1), roundUp);
    }
    if (pos !== rest.length) throw failedToParseDate(value);
    return base;
  }
  const parsed = parseDate(value);
  if (parsed === null) throw failedToParseDate(String(value));
  return parsed;
}

function addUnit(ms: number, n: number, unit: string): number {
  if (unit === 'y' || unit === 'M') {
    const d = new Date(ms);
    if (unit === 'y') d.setUTCFullYear(d.getUTCFullYear() + n);
    else d.setUTCMonth(d.getUTCMonth() + n);
    return d.getTime();
  }
  return ms + n * UNIT_MS[unit];
}

function round(ms: number, unit: string, up: boolean): number {
  const d = new Date(ms);
  let floor: number;
  let next: number;
  if (unit === 'y') {
    floor = Date.UTC(d.getUTCFullYear(), 0, 1);
    next = Date.UTC(d.getUTCFullYear() + 1, 0, 1);
  } else if (unit === 'M') {
    floor = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  } else {
    const size = unit === 'w' ? UNIT_MS.d : UNIT_MS[unit];
    floor = Math.floor(ms / size) * size;
    if (unit === 'w') floor -= ((new Date(floor).getUTCDay() + 6) % 7) * UNIT_MS.d;
    next = floor + (unit === 'w' ? UNIT_MS.w : size);
  }
  return up ? next - 1 : floor;
}

export function failedToParseDate(value: string): EsError {
  return new EsError(400, 'parse_exception', `failed to parse date field [${value}] with format [strict_date_optional_time||epoch_millis]`);
}

/** Formats epoch millis as Elasticsearch prints dates in `_source`-less places (ISO, UTC, milliseconds). */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString();
}
