import { EsError } from '../http/es-error';

const ISO = /^([+-]?\d{4,})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?$/;
const EPOCH_MILLIS = /^-?\d+$/;

/**
 * Parses a value of a `date` field with the default format `strict_date_optional_time||epoch_millis`:
 * ISO 8601 (UTC when no offset is given) or a number of milliseconds since the epoch. Returns epoch millis or null.
 */
export function parseDate(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : null;
  if (typeof value !== 'string') return null;
  // The common case, a full date and time (toISOString's, PostgreSQL's, Debezium's), read without a regex.
  const ms = dateTimeMillis(value);
  if (ms !== undefined) return ms;
  if (EPOCH_MILLIS.test(value) && value.length !== 4) return Number(value);
  return parseIsoByPattern(value);
}

/**
 * ISO 8601 in any form `strict_date_optional_time` takes (a date, optionally a time, optionally a zone), read with a
 * regex. `parseDate` reads the full date-time forms without it; this is the reference it is tested against.
 */
export function parseIsoByPattern(value: string): number | null {
  const m = ISO.exec(value);
  if (!m) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', frac = '', zone] = m;
  let ms = utc(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s), Number(frac.padEnd(3, '0').slice(0, 3)));
  if (Number.isNaN(ms) || Number(mo) > 12 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0')) * 60_000;
  }
  return ms;
}

/** Milliseconds in 400 Gregorian years (146,097 days): the calendar repeats after them. */
const FOUR_CENTURIES_MS = 146_097 * 86_400_000;

/** Date.UTC with `year` read as written (Date.UTC reads 0-99 as 1900-1999); out-of-range fields roll over as there. */
function utc(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number {
  if (year >= 0 && year <= 99) return Date.UTC(year + 400, month - 1, day, hour, minute, second, ms) - FOUR_CENTURIES_MS;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/**
 * `YYYY-MM-DDTHH:MM:SS`, an optional fraction of 1-9 digits (`.` or `,`), then nothing, `Z`, `±HH`, `±HHMM` or
 * `±HH:MM`, read from its characters, with exactly the result of `parseIsoByPattern` (~40 ns instead of ~400:
 * message documents carry up to five dates, each read at the write and again at refresh). Undefined for any other
 * shape (the caller then tries the other forms).
 */
function dateTimeMillis(v: string): number | null | undefined {
  const n = v.length;
  if (n < 19 || v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45 || v.charCodeAt(10) !== 84 || v.charCodeAt(13) !== 58 || v.charCodeAt(16) !== 58) {
    return undefined;
  }
  const year = digits(v, 0, 4);
  const month = digits(v, 5, 2);
  const day = digits(v, 8, 2);
  const hour = digits(v, 11, 2);
  const minute = digits(v, 14, 2);
  const second = digits(v, 17, 2);
  let at = 19;
  let ms = 0;
  const sep = v.charCodeAt(at);
  if (sep === 46 || sep === 44) {
    let end = at + 1;
    while (end < n && end - at <= 9 && isDigit(v.charCodeAt(end))) end++;
    const count = end - at - 1;
    if (count === 0 || (end < n && isDigit(v.charCodeAt(end)))) return undefined;
    ms = digits(v, at + 1, Math.min(count, 3)) * (count >= 3 ? 1 : count === 2 ? 10 : 100);
    at = end;
  }
  let offsetMinutes = 0;
  const rest = n - at;
  if (rest === 1) {
    if (v.charCodeAt(at) !== 90) return undefined;
  } else if (rest > 0) {
    const sign = v.charCodeAt(at);
    if ((sign !== 43 && sign !== 45) || !(rest === 3 || rest === 5 || rest === 6)) return undefined;
    const colon = rest === 6 ? 1 : 0;
    if (colon === 1 && v.charCodeAt(at + 3) !== 58) return undefined;
    const oh = digits(v, at + 1, 2);
    const om = rest === 3 ? 0 : digits(v, at + 3 + colon, 2);
    offsetMinutes = (sign === 45 ? -1 : 1) * (oh * 60 + om);
  }
  // NaN from a non-digit anywhere above makes the sum NaN.
  if (Number.isNaN(year + month + day + hour + minute + second + ms + offsetMinutes)) return undefined;
  if (month > 12 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  return utc(year, month, day, hour, minute, second, ms) - offsetMinutes * 60_000;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * The decimal number of `count` ASCII digits of `v` from `at`; NaN if one is not a digit. A module-level function,
 * not a closure: under tsx (esbuild `keepNames`) every closure creation also calls `__name`, an
 * `Object.defineProperty` (~8 % of the server's CPU while bulk indexing, when this was a closure).
 */
function digits(v: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return Number.NaN;
    n = n * 10 + c - 48;
  }
  return n;
}

/**
 * `parseDate` remembering its last string: one per `date` field. The rows of one PostgreSQL transaction share their
 * commit time and usually their creation time, and a batch its indexing time, so consecutive documents mostly repeat
 * a field's date (each is read twice: validated at the write, extracted at refresh). Only the exact same text returns
 * the remembered value; anything else is parsed (and remembered if valid). Non-strings are not cached.
 */
export class LastDateCache {
  private text: string | undefined;
  private millis = 0;

  parse(value: unknown): number | null {
    if (typeof value !== 'string') return parseDate(value);
    if (value === this.text) return this.millis;
    const ms = parseDate(value);
    if (ms !== null) {
      this.text = value;
      this.millis = ms;
    }
    return ms;
  }
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
